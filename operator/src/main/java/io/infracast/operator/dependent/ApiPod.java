package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.infracast.contract.RuntimeSettings;
import io.infracast.operator.api.v1alpha1.ApiSpec;
import io.infracast.operator.api.v1alpha1.ImageSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.SecretKeyRef;
import io.infracast.operator.api.v1alpha1.SecretsSpec;
import io.infracast.operator.data.DataPlanes;
import io.infracast.operator.data.aws.SecretsFromAws;
import io.infracast.operator.reconciler.ReconcileFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What every vulcan-api pod shares, serving or migrating: image, configuration by reference, resources and a
 * hardened security context. The migration Job runs exactly the configuration the Deployment will serve with.
 */
public final class ApiPod {

  public static final String CONTAINER = "api";
  static final long RUN_AS_USER = 10001;

  private ApiPod() {}

  /** The image of a version; the tag is always an Infracast version. */
  public static String image(InfracastInstallation installation, String version) {
    var repository = Optional.ofNullable(installation.getSpec().getImage()).map(ImageSpec::getRepository)
        .orElse(ImageSpec.DEFAULT_REPOSITORY);
    return repository + ":" + version;
  }

  /** Pod spec without containers: identity, pull secrets, security context and the writable /tmp. */
  static PodSpecBuilder podSpec(InfracastInstallation installation) {
    var image = Optional.ofNullable(installation.getSpec().getImage());
    return new PodSpecBuilder()
        .withServiceAccountName(ObjectNames.api(installation))
        .withAutomountServiceAccountToken(false)
        .withImagePullSecrets(image.map(ImageSpec::getPullSecrets).orElse(List.of()).stream()
            .map(LocalObjectReference::new).toList())
        .withNewSecurityContext()
          .withRunAsNonRoot(true)
          .withRunAsUser(RUN_AS_USER)
          .withRunAsGroup(RUN_AS_USER)
          .withFsGroup(RUN_AS_USER)
          .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .endSecurityContext()
        .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("256Mi")).endEmptyDir()
        .endVolume();
  }

  /** The container running {@code version} with {@code command} (serve or migrate). */
  static ContainerBuilder container(InfracastInstallation installation, ReconcileFacts facts, String version,
      String command) {
    var settings = facts.settings();
    var pullPolicy = Optional.ofNullable(installation.getSpec().getImage()).map(ImageSpec::getPullPolicy)
        .map(Enum::name).orElse(ImageSpec.PullPolicy.IfNotPresent.name());
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image(installation, version))
        .withImagePullPolicy(pullPolicy)
        .withArgs(command)
        .withEnv(env(installation, facts, command))
        .addNewEnvFrom().withNewConfigMapRef().withName(ObjectNames.config(installation)).endConfigMapRef()
        .endEnvFrom()
        .withNewResources()
          .withRequests(Map.of("cpu", new Quantity(settings.getCpu()), "memory", new Quantity(settings.getMemory())))
          .withLimits(Map.of("memory", new Quantity(settings.getMemory())))
        .endResources()
        .withNewSecurityContext()
          .withAllowPrivilegeEscalation(false)
          .withReadOnlyRootFilesystem(true)
          .withRunAsNonRoot(true)
          .withNewCapabilities().withDrop("ALL").endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount();
  }

  /**
   * The user's extra variables first, minus any the operator sets itself; then the secrets by reference. The
   * service's keys go to {@code serve} only: {@code migrate} seals, opens and signs nothing.
   */
  static List<EnvVar> env(InfracastInstallation installation, ReconcileFacts facts, String command) {
    var configured = ConfigMapDependentResource.settings(installation, facts).keySet();
    var owned = Set.of(RuntimeSettings.DATABASE_URL, RuntimeSettings.JWT_SECRET, RuntimeSettings.ENCRYPTION_KEYS,
        RuntimeSettings.EVIDENCE_SIGNING_KEY);
    var env = new ArrayList<EnvVar>();
    Optional.ofNullable(installation.getSpec().getApi()).map(ApiSpec::getEnv).orElse(List.of()).stream()
        .filter(e -> !owned.contains(e.getName()) && !configured.contains(e.getName()))
        .forEach(env::add);
    env.add(secretEnv(RuntimeSettings.DATABASE_URL, DataPlanes.databaseUrlSecret(installation)));
    env.add(secretEnv(RuntimeSettings.JWT_SECRET, jwtSecret(installation)));
    if (command.equals("serve")) {
      var keys = ServiceKeysSecretDependentResource.secretName(installation);
      env.add(secretEnv(RuntimeSettings.ENCRYPTION_KEYS, new SecretKeyRef(keys, RuntimeSettings.ENCRYPTION_KEYS)));
      env.add(secretEnv(RuntimeSettings.EVIDENCE_SIGNING_KEY,
          new SecretKeyRef(keys, RuntimeSettings.EVIDENCE_SIGNING_KEY)));
    }
    return env;
  }

  /** The Secret key with the JWT signing key: the user's, the operator's copy of AWS's, or the one it generated. */
  public static SecretKeyRef jwtSecret(InfracastInstallation installation) {
    if (SecretsFromAws.Field.JWT.arn(installation) != null) {
      return new SecretKeyRef(SecretsFromAws.Field.JWT.secretName(installation), JwtSecretDependentResource.KEY);
    }
    return Optional.ofNullable(installation.getSpec().getSecrets()).map(SecretsSpec::getJwtSecretRef)
        .map(ref -> new SecretKeyRef(ref.getName(), ref.keyOr(JwtSecretDependentResource.KEY)))
        .orElse(new SecretKeyRef(ObjectNames.generatedJwtSecret(installation), JwtSecretDependentResource.KEY));
  }

  private static EnvVar secretEnv(String name, SecretKeyRef ref) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef().withName(ref.getName()).withKey(ref.getKey()).endSecretKeyRef()
        .endValueFrom().build();
  }
}
