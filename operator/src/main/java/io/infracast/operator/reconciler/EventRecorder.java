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
import java.util.Set;
import java.util.UUID;
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

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(InfracastInstallation installation, StatusAggregator.Transition transition) {
    var now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var metadata = installation.getMetadata();
    var type = WARNINGS.contains(transition.type() + "=" + transition.status()) ? "Warning" : "Normal";
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
        .withReason(transition.reason())
        .withMessage(transition.type() + " is " + transition.status() + ": " + transition.message())
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
