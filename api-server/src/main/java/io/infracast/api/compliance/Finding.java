package io.infracast.api.compliance;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A rule that matched a node, kept across evaluations: the same rule and node are always the same finding.
 *
 * @param framework the rule's first framework; {@code controls} holds all of them
 * @param resourceType the node's type
 * @param status {@code open}, {@code resolved} or {@code accepted}
 * @param statusChangedBy the user or API key that set the status last; null when an evaluation did
 */
public record Finding(
    UUID id,
    String ruleId,
    String pack,
    String title,
    Severity severity,
    int riskScore,
    String framework,
    String controlId,
    List<Control> controls,
    String nodeId,
    String resourceType,
    String nodeName,
    String remediation,
    String status,
    String statusReason,
    Instant statusChangedAt,
    String statusChangedBy,
    Instant firstSeenAt) {

  /** One framework control a rule assesses. */
  public record Control(String framework, String controlId) {}
}
