package io.infracast.operator.data;

/**
 * The evidence bucket as the workload sees it.
 *
 * @param ready whether pods can be given the bucket
 * @param reason a CamelCase condition reason
 * @param message what a user should know
 * @param bucket ARTIFACTS_BUCKET
 * @param region AWS_REGION
 */
public record ArtifactStoreState(boolean ready, String reason, String message, String bucket, String region) {

  public static ArtifactStoreState notReady(String reason, String message) {
    return new ArtifactStoreState(false, reason, message, null, null);
  }
}
