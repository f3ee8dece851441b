package io.infracast.operator.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.infracast.contract.RuntimeSettings;
import io.infracast.operator.ShortHash;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.HashMap;
import java.util.Map;

/**
 * The vulcan-api Deployment, running the version the schema allows (see MigrationPlan). It never sets
 * {@code replicas}: the HPA owns that field. Rolling updates keep every serving pod until its replacement is
 * ready, and pods drain for the ALB's 30 s deregistration delay.
 */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class DeploymentDependentResource extends CRUDKubernetesDependentResource<Deployment, InfracastInstallation> {

  public static final String PORT_NAME = "http";
  public static final int PORT = RuntimeSettings.DEFAULT_API_PORT;
  /** Pod-template annotation holding a hash of the ConfigMap's settings, so a settings change rolls the pods. */
  public static final String CONFIG_HASH_ANNOTATION = "infracast.io/config-hash";
  /**
   * Pod-template annotation holding a hash of the operator's Secrets copied from AWS Secrets Manager, as the
   * cluster holds them: a rotation rolls the pods once the Secret they read has the new value.
   */
  public static final String AWS_SECRETS_HASH_ANNOTATION = "infracast.io/aws-secrets-hash";
  /**
   * Deployment annotation holding a hash of the pod template the operator applied. A new operator release may
   * want another template for every tenant at once; comparing hashes tells such a rollout apart, so that it waits
   * for a fleet rollout slot like an upgrade does.
   */
  public static final String TEMPLATE_HASH_ANNOTATION = "infracast.io/template-hash";
  /** Map entries by key: label maps iterate in a different order in each JVM, their hash must not. */
  private static final ObjectMapper STABLE_JSON = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  /** Matches the ALB's deregistration delay: the pod keeps serving while the load balancer drains it. */
  static final int DRAIN_SECONDS = 30;
  /** The drain, then up to 30 s for in-flight requests after SIGTERM, then a margin. */
  static final long TERMINATION_GRACE_SECONDS = 75;

  @Override
  protected Deployment desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var template = podTemplate(installation, ReconcileFacts.of(context));
    var metadata = OwnedMetadata.of(installation, ObjectNames.api(installation), "api");
    metadata.setAnnotations(Map.of(TEMPLATE_HASH_ANNOTATION, hash(template)));
    return new DeploymentBuilder()
        .withMetadata(metadata)
        .withNewSpec()
          .withNewSelector().withMatchLabels(InstallationLabels.apiSelector(installation)).endSelector()
          .withRevisionHistoryLimit(5)
          .withNewStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate().withNewMaxUnavailable(0).withNewMaxSurge(1).endRollingUpdate()
          .endStrategy()
          .withTemplate(template)
        .endSpec()
        .build();
  }

  /** While a new pod template waits for a fleet rollout slot, the Deployment stays exactly as it is. */
  @Override
  public Matcher.Result<Deployment> match(Deployment actual, InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    if (ReconcileFacts.of(context).rolloutHeld()) {
      return Matcher.Result.nonComputed(true);
    }
    return super.match(actual, installation, context);
  }

  /** A hash of the pod template these facts ask for: when it differs from the applied one, the pods roll. */
  public static String templateHash(InfracastInstallation installation, ReconcileFacts facts) {
    return hash(podTemplate(installation, facts));
  }

  /** The hash of the pod template last applied, from the Deployment's annotation; empty when it has none. */
  public static String appliedTemplateHash(Deployment deployment) {
    var annotations = deployment.getMetadata().getAnnotations();
    return annotations == null ? "" : annotations.getOrDefault(TEMPLATE_HASH_ANNOTATION, "");
  }

  private static String hash(PodTemplateSpec template) {
    try {
      return ShortHash.of(STABLE_JSON.writeValueAsString(template), 8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a pod template always serializes", e);
    }
  }

  private static PodTemplateSpec podTemplate(InfracastInstallation installation, ReconcileFacts facts) {
    var version = facts.migration().servingVersion();
    var selector = InstallationLabels.apiSelector(installation);
    var podLabels = new HashMap<>(InstallationLabels.of(installation, "api"));
    podLabels.put(InstallationLabels.VERSION, version);
    var container = ApiPod.container(installation, facts, version, "serve")
        .addNewPort().withName(PORT_NAME).withContainerPort(PORT).withProtocol("TCP").endPort()
        // Ready only while the database answers, so the ALB and Service stop sending traffic during an outage.
        .withNewReadinessProbe()
          .withNewHttpGet().withPath("/healthz").withNewPort(PORT_NAME).endHttpGet()
          .withPeriodSeconds(5).withTimeoutSeconds(3).withFailureThreshold(2)
        .endReadinessProbe()
        // Alive while the process accepts connections: a database outage must not restart every pod.
        .withNewLivenessProbe()
          .withNewTcpSocket().withNewPort(PORT_NAME).endTcpSocket()
          .withPeriodSeconds(10).withTimeoutSeconds(3).withFailureThreshold(6)
        .endLivenessProbe()
        .withNewStartupProbe()
          .withNewTcpSocket().withNewPort(PORT_NAME).endTcpSocket()
          .withPeriodSeconds(2).withFailureThreshold(60)
        .endStartupProbe()
        .withNewLifecycle()
          .withNewPreStop().withNewSleep().withSeconds((long) DRAIN_SECONDS).endSleep().endPreStop()
        .endLifecycle()
        .build();

    var annotations = new HashMap<String, String>();
    annotations.put(CONFIG_HASH_ANNOTATION,
        ShortHash.of(ConfigMapDependentResource.settings(installation, facts).toString(), 8));
    // Only with secrets from AWS: other installations keep the template (and hash) they have.
    var awsSecrets = facts.aws().secrets().checksum();
    if (awsSecrets != null) {
      annotations.put(AWS_SECRETS_HASH_ANNOTATION, awsSecrets);
    }
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
          .withLabels(podLabels)
          .withAnnotations(annotations)
        .endMetadata()
        .withSpec(ApiPod.podSpec(installation)
            .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
            .withContainers(container)
            .withTopologySpreadConstraints(
                spread("topology.kubernetes.io/zone", selector),
                spread("kubernetes.io/hostname", selector))
            .build())
        .build();
  }

  private static TopologySpreadConstraint spread(String topologyKey, Map<String, String> selector) {
    return new TopologySpreadConstraintBuilder()
        .withTopologyKey(topologyKey)
        .withMaxSkew(1)
        // Prefer spreading; a zone outage must not block scheduling the survivors.
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withNewLabelSelector().withMatchLabels(selector).endLabelSelector()
        .build();
  }
}
