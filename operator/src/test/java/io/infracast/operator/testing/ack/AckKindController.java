package io.infracast.operator.testing.ack;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.infracast.operator.data.ack.AckStatus;
import io.infracast.operator.testing.EveryVersion;
import io.infracast.testing.aws.MotoServer;
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
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * What every ACK controller does with the objects of one kind, played against moto as the local kubelet plays
 * kubelet (ACK's Go modules cannot be built here): it informs the kind in one namespace, adds ACK's finalizer,
 * syncs each generation with AWS through the AWS SDK and writes status as ACK does: {@code ackResourceMetadata}
 * and the conditions {@code ACK.ResourceSynced}, {@code ACK.Terminal} (an AWS error of {@link #terminalCodes},
 * not retried until the spec changes) and {@code ACK.Recoverable} (retried after a second). On delete it calls
 * AWS unless the object carries ACK's retain annotation, then lets the object go.
 */
abstract class AckKindController implements AutoCloseable {

  /** The outcome of one sync: status fields besides the conditions, and whether AWS is there yet. */
  record Synced(Map<String, Object> status, boolean done, String waitingFor) {

    static Synced done(Map<String, Object> status) {
      return new Synced(status, true, null);
    }

    /** AWS has it, but it is not ready yet (an instance creating): ACK requeues and looks again. */
    static Synced waiting(Map<String, Object> status, String why) {
      return new Synced(status, false, why);
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String apiVersion;
  private final String kind;
  private final String finalizer;
  private final SharedIndexInformer<GenericKubernetesResource> informer;
  /** Generation last synced (or refused for good) per object uid. */
  private final Map<String, Long> handled = new ConcurrentHashMap<>();
  private final ScheduledExecutorService retries;
  private boolean closed;

  AckKindController(KubernetesClient client, String namespace, String apiVersion, String kind) {
    this.client = client;
    this.namespace = namespace;
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.finalizer = "finalizers." + apiVersion.substring(0, apiVersion.indexOf('/')) + "/" + kind;
    this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
      var thread = new Thread(r, "ack-" + kind + "-retries");
      thread.setDaemon(true);
      return thread;
    });
    this.informer = client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace)
        .inform(EveryVersion.handler(this::observe, deleted -> handled.remove(deleted.getMetadata().getUid())));
  }

  /** ACK's create or update of the object in AWS. */
  abstract Synced sync(GenericKubernetesResource object);

  /** ACK's delete in AWS, for an object without the retain annotation. */
  abstract void deleteInAws(GenericKubernetesResource object);

  /** AWS error codes ACK reports as Terminal rather than retrying. */
  abstract Set<String> terminalCodes();

  KubernetesClient client() {
    return client;
  }

  String namespace() {
    return namespace;
  }

  private synchronized void observe(GenericKubernetesResource object) {
    if (closed) {
      return;
    }
    var metadata = object.getMetadata();
    var finalizers = Optional.ofNullable(metadata.getFinalizers()).orElse(List.of());
    if (metadata.getDeletionTimestamp() != null) {
      if (finalizers.contains(finalizer)) {
        delete(object);
      }
      return;
    }
    if (!finalizers.contains(finalizer)) {
      // ACK's first write; the update it causes brings the object back here.
      object(object).edit(o -> {
        o.getMetadata().getFinalizers().add(finalizer);
        return o;
      });
      return;
    }
    if (metadata.getGeneration().equals(handled.get(metadata.getUid()))) {
      return;
    }
    handled.put(metadata.getUid(), metadata.getGeneration());
    try {
      var synced = sync(object);
      if (synced.done()) {
        writeStatus(object, synced.status(), List.of(condition(AckStatus.SYNCED, "True",
            "Resource synced successfully")));
      } else {
        writeStatus(object, synced.status(), List.of(condition(AckStatus.SYNCED, "False", synced.waitingFor())));
        retryLater(object);
      }
    } catch (AwsServiceException e) {
      // ACK quotes the AWS error as the Go SDK prints it.
      var error = e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage() + "\n\tstatus code: "
          + e.statusCode() + ", request id: " + e.requestId();
      var terminal = terminalCodes().contains(e.awsErrorDetails().errorCode());
      if (!terminal) {
        retryLater(object);
      }
      writeStatus(object, Map.of(), List.of(condition(terminal ? AckStatus.TERMINAL : AckStatus.RECOVERABLE, "True",
          error), condition(AckStatus.SYNCED, "False", error)));
    }
  }

  /** ACK requeues what may work later; here after a second, with the object as it is then. */
  private void retryLater(GenericKubernetesResource object) {
    retries.schedule(() -> {
      handled.remove(object.getMetadata().getUid());
      Optional.ofNullable(informer.getStore().get(object)).ifPresent(this::observe);
    }, 1, TimeUnit.SECONDS);
  }

  private void writeStatus(GenericKubernetesResource object, Map<String, Object> fields,
      List<Map<String, Object>> conditions) {
    var status = new LinkedHashMap<String, Object>();
    var region = Optional.ofNullable(object.getMetadata().getAnnotations()).map(a -> a.get(AckStatus.REGION))
        .orElse(MotoServer.REGION.id());
    var metadata = new LinkedHashMap<String, Object>();
    Optional.ofNullable(fields.get("arn")).ifPresent(arn -> metadata.put("arn", arn));
    metadata.put("ownerAccountID", MotoServer.ACCOUNT_ID);
    metadata.put("region", region);
    status.put("ackResourceMetadata", metadata);
    fields.forEach((key, value) -> {
      if (!key.equals("arn")) {
        status.put(key, value);
      }
    });
    status.put("conditions", conditions);
    object(object).editStatus(o -> {
      o.setAdditionalProperty("status", status);
      return o;
    });
  }

  private void delete(GenericKubernetesResource object) {
    var retain = Optional.ofNullable(object.getMetadata().getAnnotations())
        .map(a -> a.get(AckStatus.DELETION_POLICY)).filter("retain"::equals).isPresent();
    if (!retain) {
      try {
        deleteInAws(object);
      } catch (AwsServiceException e) {
        // AWS refused (deletion protection, say): ACK keeps its finalizer, says why and tries again.
        writeStatus(object, Map.of(), List.of(condition(AckStatus.RECOVERABLE, "True", e.awsErrorDetails()
            .errorCode() + ": " + e.awsErrorDetails().errorMessage())));
        retryLater(object);
        return;
      }
    }
    object(object).edit(o -> {
      var finalizers = new ArrayList<>(o.getMetadata().getFinalizers());
      finalizers.remove(finalizer);
      o.getMetadata().setFinalizers(finalizers);
      return o;
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

  private Resource<GenericKubernetesResource> object(GenericKubernetesResource object) {
    return client.genericKubernetesResources(apiVersion, kind).inNamespace(namespace)
        .withName(object.getMetadata().getName());
  }

  @Override
  public void close() {
    // After the object in hand: an informer closed mid-call interrupts it and logs an error.
    synchronized (this) {
      closed = true;
    }
    retries.shutdownNow();
    informer.close();
  }
}
