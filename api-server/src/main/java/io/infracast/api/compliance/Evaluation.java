package io.infracast.api.compliance;

/**
 * What one evaluation of a tenant did.
 *
 * @param rules the rules active for it
 * @param nodesEvaluated the nodes of the types those rules look at
 * @param matched the (rule, node) pairs that failed a rule
 * @param created findings seen for the first time
 * @param reopened resolved findings that matched again
 * @param resolved open findings that no longer matched
 */
public record Evaluation(int rules, long nodesEvaluated, int matched, int created, int reopened, int resolved) {}
