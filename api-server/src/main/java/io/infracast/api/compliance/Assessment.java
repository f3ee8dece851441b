package io.infracast.api.compliance;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What one evaluation found per control: each distinct (framework, control id) of the active rules, with the
 * assets its rules looked at and the findings that are open or accepted on it afterwards. Id lists are bounded
 * (the first {@link #SAMPLE} by id); the counts are exact.
 *
 * @param evaluationId names this evaluation
 * @param evaluatedAt when it started
 */
public record Assessment(UUID evaluationId, Instant evaluatedAt, List<Control> controls) {
  /** How many ids a list of an assessment holds at most. */
  public static final int SAMPLE = 100;

  /**
   * One control.
   *
   * @param ruleIds the active rules assessing it
   * @param nodeTypes the node types those rules look at
   * @param assetsEvaluated the nodes of those types
   * @param assetIds the first of them by id
   * @param open findings of its rules that are open: how many, on how many assets, the first ids
   * @param accepted findings of its rules whose risk was accepted, likewise
   */
  public record Control(String framework, String controlId, List<String> ruleIds, List<String> nodeTypes,
      long assetsEvaluated, List<String> assetIds, Findings open, Findings accepted) {}

  /** Findings of one status on a control. */
  public record Findings(long count, long assets, List<UUID> ids) {
    public static final Findings NONE = new Findings(0, 0, List.of());
  }
}
