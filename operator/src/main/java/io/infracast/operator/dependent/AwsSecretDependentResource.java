package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.aws.SecretsFromAws;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The operator's copy of a secret it reads from AWS Secrets Manager, which the pods read by secretKeyRef. Updated
 * in place when AWS has a new value (never deleted and made again, so a pod starting meanwhile always finds it);
 * while AWS cannot be read, or answers with a value the service would refuse, it keeps the last good value.
 */
public abstract class AwsSecretDependentResource
    extends CRUDKubernetesDependentResource<Secret, InfracastInstallation> {

  private final SecretsFromAws.Field field;
  private final String component;

  AwsSecretDependentResource(SecretsFromAws.Field field, String component) {
    this.field = field;
    this.component = component;
  }

  @Override
  protected Secret desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var value = ReconcileFacts.of(context).aws().secrets().of(field).filter(SecretsFromAws.Sourced::usable)
        .map(SecretsFromAws.Sourced::value)
        .orElseGet(() -> kept(installation, context));
    return new SecretBuilder()
        .withMetadata(OwnedMetadata.of(installation, field.secretName(installation), component))
        .withType("Opaque")
        .withStringData(Map.of(field.key(), value))
        .build();
  }

  /** The value the Secret holds; the precondition makes the Secret only once a usable value was read. */
  private String kept(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var stored = SecretsFromAws.stored(installation, field, List.copyOf(context.getSecondaryResources(Secret.class)))
        .orElseThrow(() -> new IllegalStateException("Secret " + installation.getMetadata().getNamespace() + "/"
            + field.secretName(installation) + " has no key " + field.key() + " and AWS gave no usable value"));
    return new String(Base64.getDecoder().decode(stored), StandardCharsets.UTF_8);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    return new ResourceID(field.secretName(installation), installation.getMetadata().getNamespace());
  }

  /** secrets.jwtSecretArn into Secret {@code <name>-jwt-aws}. */
  public static class Jwt extends AwsSecretDependentResource {
    public Jwt() {
      super(SecretsFromAws.Field.JWT, "api");
    }
  }

  /** database.credentialsSecretArn, as DATABASE_URL, into Secret {@code <name>-db-url-aws}. */
  public static class DatabaseUrl extends AwsSecretDependentResource {
    public DatabaseUrl() {
      super(SecretsFromAws.Field.DATABASE_URL, "database");
    }
  }

  /** Precondition of each: a usable value was read from AWS, or the Secret was made already (it is kept). */
  abstract static class Read extends KeptOnceMadeCondition<Secret> {
    private final SecretsFromAws.Field field;

    Read(SecretsFromAws.Field field) {
      this.field = field;
    }

    @Override
    boolean wanted(InfracastInstallation installation, ReconcileFacts facts, Context<InfracastInstallation> context) {
      return facts.aws().secrets().of(field).map(SecretsFromAws.Sourced::usable).orElse(false);
    }
  }

  public static class JwtRead extends Read {
    public JwtRead() {
      super(SecretsFromAws.Field.JWT);
    }
  }

  public static class DatabaseUrlRead extends Read {
    public DatabaseUrlRead() {
      super(SecretsFromAws.Field.DATABASE_URL);
    }
  }
}
