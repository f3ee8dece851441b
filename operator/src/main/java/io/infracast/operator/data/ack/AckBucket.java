package io.infracast.operator.data.ack;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.ArtifactStoreState;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.dependent.ObjectNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The evidence bucket through ACK's S3 controller: the {@code s3.services.k8s.aws/v1alpha1} Bucket the operator
 * wants (field names exactly as ACK's published CRD has them), and what ACK's status on it means for the
 * installation.
 */
public final class AckBucket {

  public static final String GROUP = "s3.services.k8s.aws";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "Bucket";
  public static final String CRD = "buckets." + GROUP;
  private AckBucket() {}

  /**
   * Default encryption (SSE-KMS with the given key, else SSE-S3), every public-access block on, versioning,
   * ACLs disabled (the bucket owner owns every object) and tags naming the tenant.
   */
  public static Map<String, Object> spec(InfracastInstallation installation) {
    var artifacts = installation.getSpec().getArtifacts();
    var encryption = new LinkedHashMap<String, Object>();
    if (artifacts.getKmsKeyId() == null) {
      encryption.put("applyServerSideEncryptionByDefault", Map.of("sseAlgorithm", "AES256"));
    } else {
      encryption.put("applyServerSideEncryptionByDefault",
          Map.of("sseAlgorithm", "aws:kms", "kmsMasterKeyID", artifacts.getKmsKeyId()));
      // An S3 Bucket Key cuts the KMS requests (and their cost) of every object written.
      encryption.put("bucketKeyEnabled", true);
    }
    var spec = new LinkedHashMap<String, Object>();
    spec.put("name", artifacts.getBucketName());
    spec.put("encryption", Map.of("rules", List.of(encryption)));
    spec.put("publicAccessBlock", Map.of("blockPublicACLs", true, "ignorePublicACLs", true,
        "blockPublicPolicy", true, "restrictPublicBuckets", true));
    spec.put("versioning", Map.of("status", "Enabled"));
    spec.put("ownershipControls", Map.of("rules", List.of(Map.of("objectOwnership", "BucketOwnerEnforced"))));
    spec.put("tagging", Map.of("tagSet", List.of(
        tag("infracast.io/installation", installation.getMetadata().getName()),
        tag("infracast.io/namespace", installation.getMetadata().getNamespace()),
        tag(InstallationLabels.MANAGED_BY, InstallationLabels.OPERATOR_NAME))));
    return spec;
  }

  private static Map<String, String> tag(String key, String value) {
    return Map.of("key", key, "value", value);
  }

  /**
   * The bucket as ACK reports it: ready once ACK synced it; {@code ACK.Terminal} (AWS refused it, and retrying
   * will not help) is a problem with ACK's own message; anything else is still on its way.
   *
   * @param served whether the cluster serves ACK's Bucket kind (see {@link AckApis})
   * @param bucket the Bucket object, if it exists yet
   */
  public static ArtifactStoreState state(InfracastInstallation installation, boolean served,
      Optional<Bucket> bucket) {
    var artifacts = installation.getSpec().getArtifacts();
    var bucketName = artifacts.getBucketName();
    if (!served) {
      return ArtifactStoreState.notReady("AckCrdMissing", "the CRD " + CRD + " is not installed, so bucket "
          + bucketName + " cannot be provisioned through ACK: install ACK's S3 controller (s3-controller); the"
          + " operator carries on by itself once it is there");
    }
    var object = "Bucket " + installation.getMetadata().getNamespace() + "/" + ObjectNames.bucket(installation);
    if (bucket.isEmpty()) {
      return ArtifactStoreState.provisioning("BucketPending", object + " for bucket " + bucketName
          + " is being created");
    }
    var status = AckStatus.of(bucket.get());
    var terminal = status.terminal();
    if (terminal.isPresent()) {
      return ArtifactStoreState.notReady("AckTerminal", "ACK cannot provision bucket " + bucketName + " ("
          + object + "): " + terminal.get());
    }
    if (status.synced()) {
      var region = Optional.ofNullable(status.<String>get("ackResourceMetadata", "region"))
          .orElse(artifacts.getRegion());
      return ArtifactStoreState.ready("AckBucket", "bucket " + bucketName + " is provisioned by ACK ("
          + status.arn() + ")", bucketName, region);
    }
    var why = status.notSyncedBecause().map(m -> ": " + m)
        .orElse(": ACK has not reported on it yet (is ACK's S3 controller running?)");
    return ArtifactStoreState.provisioning("BucketNotSynced", object + " for bucket " + bucketName
        + " is not synced yet" + why);
  }
}
