package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.infracast.contract.RuntimeSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.SecretRef;
import io.infracast.operator.api.v1alpha1.SecretsSpec;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The service's keys, generated once when the spec references none: ENCRYPTION_KEYS (what opens the discovery
 * credentials and webhook secrets stored in the database) and EVIDENCE_SIGNING_KEY. Create-only, and not owned by
 * the installation: the database and the evidence bucket may outlive it (deletionPolicy Retain, a user's
 * database, the bucket always), and without these keys what they hold no longer opens or verifies. JOSDK maps it
 * back by its primary-name annotations instead; an installation created again under the same name finds it and
 * uses it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ServiceKeysSecretDependentResource.SELECTOR))
public class ServiceKeysSecretDependentResource extends KubernetesDependentResource<Secret, InfracastInstallation>
    implements Creator<Secret, InfracastInstallation> {

  static final String COMPONENT = "service-keys";
  static final String SELECTOR = InstallationLabels.MANAGED_BY_SELECTOR + "," + InstallationLabels.COMPONENT + "="
      + COMPONENT;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  protected Secret desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var aesKey = new byte[32];
    RANDOM.nextBytes(aesKey);
    return new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withName(ObjectNames.generatedServiceKeys(installation))
            .withNamespace(installation.getMetadata().getNamespace())
            .withLabels(InstallationLabels.of(installation, COMPONENT))
            .build())
        .withType("Opaque")
        .withStringData(Map.of(
            RuntimeSettings.ENCRYPTION_KEYS, "k1:" + Base64.getEncoder().encodeToString(aesKey),
            RuntimeSettings.EVIDENCE_SIGNING_KEY, ed25519PrivateKey()))
        .build();
  }

  private static String ed25519PrivateKey() {
    try {
      var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make Ed25519 keys", e);
    }
  }

  /** The Secret the service reads its keys from: the user's ({@code secrets.serviceKeysRef}) or the generated one. */
  public static String secretName(InfracastInstallation installation) {
    return referenced(installation).orElse(ObjectNames.generatedServiceKeys(installation));
  }

  /** The user's Secret of keys, if the spec names one. */
  public static Optional<String> referenced(InfracastInstallation installation) {
    return Optional.ofNullable(installation.getSpec().getSecrets()).map(SecretsSpec::getServiceKeysRef)
        .map(SecretRef::getName);
  }

  /** Precondition: generated only when the spec names no Secret of its own. */
  public static class Generated implements Condition<Secret, InfracastInstallation> {
    @Override
    public boolean isMet(DependentResource<Secret, InfracastInstallation> dependentResource,
        InfracastInstallation installation, Context<InfracastInstallation> context) {
      return referenced(installation).isEmpty();
    }
  }
}
