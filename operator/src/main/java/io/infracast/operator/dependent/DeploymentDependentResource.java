package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.infracast.operator.api.v1alpha1.ApiSpec;
import io.infracast.operator.api.v1alpha1.ImageSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.SecretKeyRef;
import io.infracast.operator.api.v1alpha1.SecretsSpec;
import io.infracast.operator.data.DataPlanes;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The vulcan-api Deployment. It never sets {@code replicas}: the HPA owns that field. Rolling updates keep every
 * serving pod until its replacement is ready, and pods drain for the ALB's 30 s deregistration delay.
 */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class DeploymentDependentResource extends CRUDKubernetesDependentResource<Deployment, InfracastInstallation> {

  public static final String CONTAINER = "api";
  public static final String PORT_NAME = "http";
  public static final int PORT = 8080;
  /** Pod-template annotation holding a hash of the ConfigMap's settings, so a settings change rolls the pods. */
  public static final String CONFIG_HASH_ANNOTATION = "infracast.io/config-hash";
  /** Matches the ALB's deregistration delay: the pod keeps serving while the load balancer drains it. */
  static final int DRAIN_SECONDS = 30;
  /** The drain, then up to 30 s for in-flight requests after SIGTERM, then a margin. */
  static final long TERMINATION_GRACE_SECONDS = 75;
  static final long RUN_AS_USER = 10001;

  @Override
  protected Deployment desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var facts = ReconcileFacts.of(installation, context);
    var selector = InstallationLabels.apiSelector(installation);
    var podLabels = new java.util.HashMap<>(InstallationLabels.of(installation, "api"));
    podLabels.put(InstallationLabels.VERSION, installation.getSpec().getVersion());
    var image = Optional.ofNullable(installation.getSpec().getImage());

    return new DeploymentBuilder()
        .withMetadata(OwnedMetadata.of(installation, ObjectNames.api(installation), "api"))
        .withNewSpec()
          .withNewSelector().withMatchLabels(selector).endSelector()
          .withRevisionHistoryLimit(5)
          .withNewStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
              .withNewMaxUnavailable(0)
              .withNewMaxSurge(1)
            .endRollingUpdate()
          .endStrategy()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(podLabels)
              .withAnnotations(Map.of(CONFIG_HASH_ANNOTATION,
                  hash(ConfigMapDependentResource.settings(installation, facts).toString())))
            .endMetadata()
            .withSpec(new PodSpecBuilder()
                .withServiceAccountName(ObjectNames.api(installation))
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
                .withImagePullSecrets(image.map(ImageSpec::getPullSecrets).orElse(List.of()).stream()
                    .map(LocalObjectReference::new).toList())
                .withNewSecurityContext()
                  .withRunAsNonRoot(true)
                  .withRunAsUser(RUN_AS_USER)
                  .withRunAsGroup(RUN_AS_USER)
                  .withFsGroup(RUN_AS_USER)
                  .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(installation, facts))
                .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("256Mi")).endEmptyDir()
                .endVolume()
                .withTopologySpreadConstraints(
                    spread("topology.kubernetes.io/zone", selector),
                    spread("kubernetes.io/hostname", selector))
                .build())
          .endTemplate()
        .endSpec()
        .build();
  }

  /** The image of a version; the tag is always the installation's version. */
  public static String image(InfracastInstallation installation, String version) {
    var repository = Optional.ofNullable(installation.getSpec().getImage()).map(ImageSpec::getRepository)
        .orElse(ImageSpec.DEFAULT_REPOSITORY);
    return repository + ":" + version;
  }

  /** The API container, also the template of the migration Job's container (same image, env and security). */
  public static Container container(InfracastInstallation installation, ReconcileFacts facts) {
    var settings = facts.settings();
    var pullPolicy = Optional.ofNullable(installation.getSpec().getImage()).map(ImageSpec::getPullPolicy)
        .map(Enum::name).orElse(ImageSpec.PullPolicy.IfNotPresent.name());
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image(installation, installation.getSpec().getVersion()))
        .withImagePullPolicy(pullPolicy)
        .withArgs("serve")
        .addNewPort().withName(PORT_NAME).withContainerPort(PORT).withProtocol("TCP").endPort()
        .withEnv(env(installation, facts))
        .addNewEnvFrom().withNewConfigMapRef().withName(ObjectNames.config(installation)).endConfigMapRef()
        .endEnvFrom()
        .withNewResources()
          .withRequests(Map.of("cpu", new Quantity(settings.getCpu()), "memory", new Quantity(settings.getMemory())))
          .withLimits(Map.of("memory", new Quantity(settings.getMemory())))
        .endResources()
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
        .withNewSecurityContext()
          .withAllowPrivilegeEscalation(false)
          .withReadOnlyRootFilesystem(true)
          .withRunAsNonRoot(true)
          .withNewCapabilities().withDrop("ALL").endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .build();
  }

  /** The user's extra variables first, minus any the operator sets itself; then the secrets by reference. */
  static List<EnvVar> env(InfracastInstallation installation, ReconcileFacts facts) {
    var db = DataPlanes.databaseUrlSecret(installation);
    var jwt = jwtSecret(installation);
    var owned = Set.of("DATABASE_URL", "JWT_SECRET");
    var env = new ArrayList<EnvVar>();
    Optional.ofNullable(installation.getSpec().getApi()).map(ApiSpec::getEnv).orElse(List.of()).stream()
        .filter(e -> !owned.contains(e.getName()))
        .filter(e -> !ConfigMapDependentResource.settings(installation, facts).containsKey(e.getName()))
        .forEach(env::add);
    env.add(secretEnv("DATABASE_URL", db));
    env.add(secretEnv("JWT_SECRET", jwt));
    return env;
  }

  /** The Secret key with the JWT signing key: the user's, or the one the operator generated. */
  public static SecretKeyRef jwtSecret(InfracastInstallation installation) {
    return Optional.ofNullable(installation.getSpec().getSecrets()).map(SecretsSpec::getJwtSecretRef)
        .map(ref -> new SecretKeyRef(ref.getName(), ref.keyOr(JwtSecretDependentResource.KEY)))
        .orElse(new SecretKeyRef(ObjectNames.generatedJwtSecret(installation), JwtSecretDependentResource.KEY));
  }

  private static EnvVar secretEnv(String name, SecretKeyRef ref) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef().withName(ref.getName()).withKey(ref.getKey()).endSecretKeyRef()
        .endValueFrom().build();
  }

  private static io.fabric8.kubernetes.api.model.TopologySpreadConstraint spread(String topologyKey,
      Map<String, String> selector) {
    return new TopologySpreadConstraintBuilder()
        .withTopologyKey(topologyKey)
        .withMaxSkew(1)
        // Prefer spreading; a zone outage must not block scheduling the survivors.
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withNewLabelSelector().withMatchLabels(selector).endLabelSelector()
        .build();
  }

  static String hash(String content) {
    try {
      var digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
