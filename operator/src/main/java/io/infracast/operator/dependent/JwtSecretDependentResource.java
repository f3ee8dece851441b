package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.infracast.contract.RuntimeSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The JWT signing key, generated once when the spec references none. Create-only: the operator never updates
 * it, so the key survives reconciles and operator restarts and sessions stay valid. It is never logged. Once
 * the spec names a key of its own (a Secret, or a secret in AWS Secrets Manager), the generated one is deleted.
 */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class JwtSecretDependentResource extends KubernetesDependentResource<Secret, InfracastInstallation>
    implements Creator<Secret, InfracastInstallation>, GarbageCollected<InfracastInstallation> {

  public static final String KEY = RuntimeSettings.JWT_SECRET;
  private static final int KEY_BYTES = 48;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  protected Secret desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return new SecretBuilder()
        .withMetadata(OwnedMetadata.of(installation, ObjectNames.generatedJwtSecret(installation), "api"))
        .withType("Opaque")
        .withStringData(Map.of(KEY, Base64.getUrlEncoder().withoutPadding().encodeToString(key)))
        .build();
  }
}
