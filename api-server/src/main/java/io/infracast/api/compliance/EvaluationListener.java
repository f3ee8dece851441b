package io.infracast.api.compliance;

import java.util.UUID;

/**
 * Told after each evaluation of a tenant (after a discovery job or {@code POST /findings/run}), once its findings
 * are committed: the hook through which other domains react to an evaluation (evidence signs an artifact per
 * control). Called on the evaluating thread; a listener that fails is logged and does not affect the evaluation.
 */
@FunctionalInterface
public interface EvaluationListener {
  void evaluated(UUID tenantId, Assessment assessment);
}
