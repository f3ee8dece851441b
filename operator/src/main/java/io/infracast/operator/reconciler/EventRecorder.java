package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.dependent.InstallationLabels;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a Kubernetes Event for each condition transition, so `kubectl describe` tells the story. */
public class EventRecorder {

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  /**
   * Transitions that are bad news: a Warning event. Ready=False alone is not one: every upgrade passes through it,
   * and whatever is really wrong turns Degraded=True as well.
   */
  private static final Set<String> WARNINGS = Set.of("Degraded=True", "DatabaseReady=False",
      "ArtifactStoreReady=False");

  private final KubernetesClient client;
  private final Clock clock;
  /** Per installation whose status cannot be written, the failure last recorded: a retry failing alike adds none. */
  private final Map<String, String> statusNotWritten = new ConcurrentHashMap<>();

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(InfracastInstallation installation, StatusAggregator.Transition transition) {
    record(installation, WARNINGS.contains(transition.type() + "=" + transition.status()) ? "Warning" : "Normal",
        transition.reason(), transition.type() + " is " + transition.status() + ": " + transition.message());
  }

  /** Something the operator did or found that no condition says: deleting an installation, mostly. */
  public void note(InfracastInstallation installation, String reason, String message) {
    record(installation, "Normal", reason, message);
  }

  public void warn(InfracastInstallation installation, String reason, String message) {
    record(installation, "Warning", reason, message);
  }

  /**
   * The status could not be written, so it cannot say why: a Warning Event does, once per message until
   * {@link #statusWritten}.
   */
  public void statusNotWritten(InfracastInstallation installation, String message) {
    if (!message.equals(statusNotWritten.put(key(installation), message))) {
      record(installation, "Warning", "StatusNotWritten", message);
    }
  }

  /** The status is current again: the next failure to write it is news. */
  public void statusWritten(InfracastInstallation installation) {
    statusNotWritten.remove(key(installation));
  }

  private static String key(InfracastInstallation installation) {
    return installation.getMetadata().getNamespace() + "/" + installation.getMetadata().getName();
  }

  private void record(InfracastInstallation installation, String type, String reason, String message) {
    var now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var metadata = installation.getMetadata();
    var event = new EventBuilder()
        .withNewMetadata()
          .withName(metadata.getName() + "." + UUID.randomUUID().toString().substring(0, 8))
          .withNamespace(metadata.getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(installation.getApiVersion()).withKind(installation.getKind())
            .withName(metadata.getName()).withNamespace(metadata.getNamespace()).withUid(metadata.getUid())
            .withResourceVersion(metadata.getResourceVersion()).build())
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withNewSource().withComponent(InstallationLabels.OPERATOR_NAME).endSource()
        .withReportingComponent(InstallationLabels.OPERATOR_NAME)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .build();
    try {
      client.v1().events().inNamespace(metadata.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy; never fail a reconcile for it.
      log.warn("could not record event {} for {}/{}: {}", event.getReason(), metadata.getNamespace(),
          metadata.getName(), e.getMessage());
    }
  }
}
