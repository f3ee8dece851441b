package io.infracast.operator.testing.ack;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.data.ack.AckBucket;
import io.infracast.testing.aws.MotoServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.OwnershipControlsRule;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Plays ACK's S3 controller (aws-controllers-k8s/s3-controller) for the Bucket objects of one namespace (see
 * {@link AckKindController}): it creates the bucket when its account has none of that name and applies the spec's
 * encryption, public-access block, versioning, ownership controls and tags.
 */
public final class AckS3Controller extends AckKindController {

  /** ACK's CRD, trimmed to the fields the operator uses. */
  public static final Path CRD = Path.of("src", "test", "resources", "fixtures", "ack-s3-buckets-crd.yaml");
  public static final String FINALIZER = "finalizers.s3.services.k8s.aws/Bucket";
  private static final Set<String> TERMINAL = Set.of("BucketAlreadyExists", "InvalidBucketName",
      "InvalidArgument", "MalformedXML", "IllegalLocationConstraintException");

  private final S3Client s3;

  public AckS3Controller(KubernetesClient client, String namespace, MotoServer moto) {
    super(client, namespace, AckBucket.API_VERSION, AckBucket.KIND);
    this.s3 = moto.s3();
  }

  @Override
  Set<String> terminalCodes() {
    return TERMINAL;
  }

  @Override
  Synced sync(GenericKubernetesResource bucket) {
    var name = bucket.<String>get("spec", "name");
    // ACK finds the bucket by listing its account's buckets; another account's bucket is not found.
    if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(name))) {
      s3.createBucket(b -> b.bucket(name));
    }
    applyEncryption(name, bucket.get("spec", "encryption", "rules"));
    Map<String, Boolean> block = bucket.get("spec", "publicAccessBlock");
    if (block != null) {
      s3.putPublicAccessBlock(b -> b.bucket(name).publicAccessBlockConfiguration(c -> c
          .blockPublicAcls(block.get("blockPublicACLs")).ignorePublicAcls(block.get("ignorePublicACLs"))
          .blockPublicPolicy(block.get("blockPublicPolicy"))
          .restrictPublicBuckets(block.get("restrictPublicBuckets"))));
    }
    String versioning = bucket.get("spec", "versioning", "status");
    if (versioning != null) {
      s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(c -> c.status(versioning)));
    }
    List<Map<String, String>> ownership = bucket.get("spec", "ownershipControls", "rules");
    if (ownership != null) {
      s3.putBucketOwnershipControls(b -> b.bucket(name).ownershipControls(c -> c.rules(ownership.stream()
          .map(r -> OwnershipControlsRule.builder()
              .objectOwnership(ObjectOwnership.fromValue(r.get("objectOwnership"))).build()).toList())));
    }
    List<Map<String, String>> tags = bucket.get("spec", "tagging", "tagSet");
    if (tags != null) {
      s3.putBucketTagging(b -> b.bucket(name).tagging(t -> t.tagSet(tags.stream()
          .map(tag -> Tag.builder().key(tag.get("key")).value(tag.get("value")).build()).toList())));
    }
    return Synced.done(Map.of("arn", "arn:aws:s3:::" + name, "location", "/" + name));
  }

  private void applyEncryption(String name, List<Map<String, Object>> rules) {
    if (rules == null) {
      return;
    }
    s3.putBucketEncryption(b -> b.bucket(name).serverSideEncryptionConfiguration(c -> c.rules(rules.stream()
        .map(rule -> {
          @SuppressWarnings("unchecked")
          var byDefault = (Map<String, String>) rule.get("applyServerSideEncryptionByDefault");
          return ServerSideEncryptionRule.builder()
              .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(byDefault.get("sseAlgorithm"))
                  .kmsMasterKeyID(byDefault.get("kmsMasterKeyID")))
              .bucketKeyEnabled((Boolean) rule.get("bucketKeyEnabled")).build();
        }).toList())));
  }

  @Override
  void deleteInAws(GenericKubernetesResource bucket) {
    try {
      s3.deleteBucket(b -> b.bucket(bucket.<String>get("spec", "name")));
    } catch (NoSuchBucketException gone) {
      // nothing to delete
    }
  }

  @Override
  public void close() {
    super.close();
    s3.close();
  }
}
