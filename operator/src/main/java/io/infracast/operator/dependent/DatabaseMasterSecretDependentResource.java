package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.ack.AckRds;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.security.SecureRandom;
import java.util.Map;

/**
 * The RDS master password, generated once and never regenerated (create-only: a new password here would no
 * longer be the instance's). ACK reads it through the DBInstance's masterUserPassword; the operator reads it
 * only to compose DATABASE_URL. Letters and digits only, since RDS refuses {@code / " @} and spaces.
 */
public class DatabaseMasterSecretDependentResource extends KubernetesDependentResource<Secret, InfracastInstallation>
    implements Creator<Secret, InfracastInstallation> {

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  protected Secret desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var password = new StringBuilder(LENGTH);
    for (var i = 0; i < LENGTH; i++) {
      password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return new SecretBuilder()
        .withMetadata(OwnedMetadata.of(installation, ObjectNames.databaseMasterSecret(installation), "database"))
        .withType("Opaque")
        .withStringData(Map.of(AckRds.PASSWORD_KEY, password.toString()))
        .build();
  }

  /** By name: finding it must not generate a password. */
  @Override
  protected ResourceID targetSecondaryResourceID(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    return new ResourceID(ObjectNames.databaseMasterSecret(installation), installation.getMetadata().getNamespace());
  }
}
