package io.infracast.operator.testing.ack;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.infracast.operator.data.ack.AckBucket;
import io.infracast.operator.testing.EveryVersion;
import io.infracast.operator.testing.aws.MotoServer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.OwnershipControlsRule;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Plays ACK's S3 controller (aws-controllers-k8s/s3-controller), whose Go module cannot be built here, as the
 * local kubelet plays kubelet: it informs the Bucket objects of one namespace and does what ACK does with them,
 * against moto through the AWS SDK. It adds ACK's finalizer, creates the bucket when its account has none of
 * that name, applies the spec's encryption, public-access block, versioning, ownership controls and tags, and
 * writes status as ACK does: {@code ackResourceMetadata} (arn, ownerAccountID, region) and the conditions
 * {@code ACK.ResourceSynced}, {@code ACK.Terminal} (AWS refused, and retrying will not help) and {@code
 * ACK.Recoverable}. On delete it keeps the bucket when the object carries ACK's retain annotation, else deletes
 * it, then lets the object go. A synced or terminal Bucket is looked at again only when its spec changes.
 */
public final class AckS3Controller implements AutoCloseable {

  /** ACK's CRD, trimmed to the fields the operator uses. */
  public static final Path CRD = Path.of("src", "test", "resources", "fixtures", "ack-s3-buckets-crd.yaml");
  public static final String FINALIZER = "finalizers.s3.services.k8s.aws/Bucket";
  /** AWS error codes that ACK's S3 controller reports as Terminal rather than retrying. */
  private static final Set<String> TERMINAL = Set.of("BucketAlreadyExists", "InvalidBucketName",
      "InvalidArgument", "MalformedXML", "IllegalLocationConstraintException");

  private final KubernetesClient client;
  private final String namespace;
  private final S3Client s3;
  private final SharedIndexInformer<GenericKubernetesResource> informer;
  /** Generation last synced (or refused for good) per Bucket uid. */
  private final Map<String, Long> handled = new ConcurrentHashMap<>();
  private boolean closed;
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    var thread = new Thread(r, "ack-s3-retries");
    thread.setDaemon(true);
    return thread;
  });

  public AckS3Controller(KubernetesClient client, String namespace, MotoServer moto) {
    this.client = client;
    this.namespace = namespace;
    this.s3 = moto.s3();
    this.informer = client.genericKubernetesResources(AckBucket.API_VERSION, AckBucket.KIND).inNamespace(namespace)
        .inform(EveryVersion.handler(this::observe, deleted -> handled.remove(deleted.getMetadata().getUid())));
  }

  private synchronized void observe(GenericKubernetesResource bucket) {
    if (closed) {
      return;
    }
    var metadata = bucket.getMetadata();
    var finalizers = Optional.ofNullable(metadata.getFinalizers()).orElse(List.of());
    if (metadata.getDeletionTimestamp() != null) {
      if (finalizers.contains(FINALIZER)) {
        delete(bucket);
      }
      return;
    }
    if (!finalizers.contains(FINALIZER)) {
      // ACK's first write; the update it causes brings the Bucket back here.
      object(bucket).edit(b -> {
        b.getMetadata().getFinalizers().add(FINALIZER);
        return b;
      });
      return;
    }
    if (metadata.getGeneration().equals(handled.get(metadata.getUid()))) {
      return;
    }
    handled.put(metadata.getUid(), metadata.getGeneration());
    writeStatus(bucket, sync(bucket));
  }

  /** What ACK's create and update do for a Bucket; returns its conditions. */
  private List<Map<String, Object>> sync(GenericKubernetesResource bucket) {
    Map<String, Object> spec = bucket.get("spec");
    var name = (String) spec.get("name");
    try {
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
      return List.of(condition(AckBucket.SYNCED, "True", "Resource synced successfully"));
    } catch (S3Exception e) {
      // ACK quotes the AWS error as the Go SDK prints it.
      var error = e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage() + "\n\tstatus code: "
          + e.statusCode() + ", request id: " + e.requestId();
      var terminal = TERMINAL.contains(e.awsErrorDetails().errorCode());
      if (!terminal) {
        retryLater(bucket);
      }
      return List.of(condition(terminal ? AckBucket.TERMINAL : AckBucket.RECOVERABLE, "True", error),
          condition(AckBucket.SYNCED, "False", error));
    }
  }

  /** ACK requeues what may work later; here after a second, with the Bucket as it is then. */
  private void retryLater(GenericKubernetesResource bucket) {
    retries.schedule(() -> {
      handled.remove(bucket.getMetadata().getUid());
      Optional.ofNullable(informer.getStore().get(bucket)).ifPresent(this::observe);
    }, 1, TimeUnit.SECONDS);
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

  private void writeStatus(GenericKubernetesResource bucket, List<Map<String, Object>> conditions) {
    var status = new LinkedHashMap<String, Object>();
    if (conditions.stream().anyMatch(c -> AckBucket.SYNCED.equals(c.get("type")) && "True".equals(c.get("status")))) {
      var name = bucket.<String>get("spec", "name");
      var region = Optional.ofNullable(bucket.getMetadata().getAnnotations()).map(a -> a.get(AckBucket.REGION))
          .orElse(MotoServer.REGION.id());
      status.put("ackResourceMetadata", Map.of("arn", "arn:aws:s3:::" + name, "ownerAccountID",
          MotoServer.ACCOUNT_ID, "region", region));
      status.put("location", "/" + name);
    } else {
      status.put("ackResourceMetadata", Map.of("ownerAccountID", MotoServer.ACCOUNT_ID,
          "region", MotoServer.REGION.id()));
    }
    status.put("conditions", conditions);
    object(bucket).editStatus(b -> {
      b.setAdditionalProperty("status", status);
      return b;
    });
  }

  private void delete(GenericKubernetesResource bucket) {
    var retain = Optional.ofNullable(bucket.getMetadata().getAnnotations())
        .map(a -> a.get(AckBucket.DELETION_POLICY)).filter("retain"::equals).isPresent();
    if (!retain) {
      try {
        s3.deleteBucket(b -> b.bucket(bucket.<String>get("spec", "name")));
      } catch (NoSuchBucketException gone) {
        // nothing to delete
      }
    }
    object(bucket).edit(b -> {
      var finalizers = new ArrayList<>(b.getMetadata().getFinalizers());
      finalizers.remove(FINALIZER);
      b.getMetadata().setFinalizers(finalizers);
      return b;
    });
  }

  private static Map<String, Object> condition(String type, String status, String message) {
    var condition = new LinkedHashMap<String, Object>();
    condition.put("type", type);
    condition.put("status", status);
    condition.put("message", message);
    condition.put("lastTransitionTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    return condition;
  }

  private Resource<GenericKubernetesResource> object(GenericKubernetesResource bucket) {
    return client.genericKubernetesResources(AckBucket.API_VERSION, AckBucket.KIND).inNamespace(namespace)
        .withName(bucket.getMetadata().getName());
  }

  @Override
  public void close() {
    // After the Bucket in hand: an informer closed mid-call interrupts it and logs an error.
    synchronized (this) {
      closed = true;
    }
    retries.shutdownNow();
    informer.close();
    s3.close();
  }
}
