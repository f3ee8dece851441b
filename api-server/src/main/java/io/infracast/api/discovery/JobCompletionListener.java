package io.infracast.api.discovery;

import java.util.UUID;

/**
 * Told when a discovery job has ended (succeeded, failed or cancelled), after its final state is committed: the
 * hook through which other domains react to new discovery results (compliance re-evaluates the tenant). Called on
 * the worker's thread, or the cancelling request's; a listener that fails is logged and does not affect the job.
 */
@FunctionalInterface
public interface JobCompletionListener {
  void jobCompleted(UUID tenantId, UUID jobId, JobStatus status);
}
