package io.infracast.operator.data;

/**
 * The evidence bucket as the workload sees it.
 *
 * @param ready whether pods can be given the bucket
 * @param provisioning not ready yet, but on its way without anyone having to act (not a problem: no Degraded)
 * @param reason a CamelCase condition reason
 * @param message what a user should know
 * @param bucket ARTIFACTS_BUCKET
 * @param region AWS_REGION
 */
public record ArtifactStoreState(boolean ready, boolean provisioning, String reason, String message, String bucket,
    String region) {

  public static ArtifactStoreState ready(String reason, String message, String bucket, String region) {
    return new ArtifactStoreState(true, false, reason, message, bucket, region);
  }

  /** Not usable until someone fixes what {@code message} says. */
  public static ArtifactStoreState notReady(String reason, String message) {
    return new ArtifactStoreState(false, false, reason, message, null, null);
  }

  /** Not usable yet, and being provisioned. */
  public static ArtifactStoreState provisioning(String reason, String message) {
    return new ArtifactStoreState(false, true, reason, message, null, null);
  }
}
