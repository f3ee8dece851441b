package io.infracast.api.compliance.internal;

import io.infracast.api.compliance.Finding;
import io.infracast.api.compliance.Severity;
import java.util.List;
import java.util.Set;

/** One rule of a pack: which nodes it looks at, when they fail it, and what it means for compliance. */
public record Rule(
    String id,
    String pack,
    String title,
    Severity severity,
    int riskScore,
    List<Finding.Control> controls,
    Set<String> nodeTypes,
    Condition condition,
    String remediation) {}
