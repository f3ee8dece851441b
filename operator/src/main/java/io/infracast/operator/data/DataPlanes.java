package io.infracast.operator.data;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.api.v1alpha1.DatabaseSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.api.v1alpha1.SecretKeyRef;
import io.infracast.operator.data.ack.AckBucket;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.data.ack.Bucket;
import io.infracast.operator.data.ack.DBInstance;
import io.infracast.operator.data.ack.DBSnapshot;
import io.infracast.operator.data.ack.DBSubnetGroup;
import io.infracast.operator.data.aws.SecretsFromAws;
import io.infracast.operator.data.external.ExternalDataPlane;
import io.infracast.operator.data.terraform.TofuDataPlane;
import io.infracast.operator.dependent.ObjectNames;
import io.infracast.operator.migration.JobFailures;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Picks the data plane of each half (database, bucket) by its provisioner: external, ACK or Terraform (OpenTofu). */
public final class DataPlanes {

  private static final DataPlane EXTERNAL = new ExternalDataPlane();

  private DataPlanes() {}

  public static SecretKeyRef databaseUrlSecret(InfracastInstallation installation) {
    if (installation.getSpec().getDatabase().getProvisioner() == Provisioner.EXTERNAL) {
      return SecretsFromAws.Field.DATABASE_URL.arn(installation) == null ? EXTERNAL.databaseUrlSecret(installation)
          : new SecretKeyRef(SecretsFromAws.Field.DATABASE_URL.secretName(installation), DatabaseSpec.DATABASE_URL_KEY);
    }
    // Where the operator writes the URL of a database it provisions.
    return new SecretKeyRef(ObjectNames.databaseUrlSecret(installation), DatabaseSpec.DATABASE_URL_KEY);
  }

  /**
   * @param databasesServed whether the cluster serves ACK's RDS kinds
   * @param fromAws the credentials read from AWS Secrets Manager (external with database.credentialsSecretArn)
   * @param jobFailures why an OpenTofu runner Job failed (terraform)
   * @param context where the informers of those kinds (registered only while they are served) keep the objects
   */
  public static DatabaseState database(InfracastInstallation installation, KubernetesClient client,
      boolean databasesServed, SecretsFromAws fromAws, JobFailures jobFailures,
      Context<InfracastInstallation> context) {
    var provisioner = installation.getSpec().getDatabase().getProvisioner();
    if (provisioner == Provisioner.EXTERNAL) {
      return fromAws.database(installation).orElseGet(() -> EXTERNAL.database(installation, context));
    }
    if (provisioner == Provisioner.TERRAFORM) {
      return withUrlSecret(installation, TofuDataPlane.database(installation, client, jobFailures, context), context);
    }
    var state = AckRds.state(installation, databasesServed, context.getSecondaryResource(DBSubnetGroup.class),
        context.getSecondaryResource(DBInstance.class));
    return withUrlSecret(installation, state, context)
        .withLastSnapshot(AckRds.lastSnapshot(context.getSecondaryResources(DBSnapshot.class)));
  }

  /** Ready for the pods once the Secret they read exists: the workflow writes it from the state's endpoint. */
  private static DatabaseState withUrlSecret(InfracastInstallation installation, DatabaseState state,
      Context<InfracastInstallation> context) {
    var urlSecret = ObjectNames.databaseUrlSecret(installation);
    if (state.ready() && context.getSecondaryResourcesAsStream(Secret.class)
        .noneMatch(s -> urlSecret.equals(s.getMetadata().getName()))) {
      return new DatabaseState(false, true, "DatabaseUrlPending", state.message() + "; Secret " + urlSecret
          + " with its DATABASE_URL is being written", state.endpoint(), null);
    }
    return state;
  }

  /**
   * @param bucketsServed whether the cluster serves ACK's Bucket kind
   * @param jobFailures why an OpenTofu runner Job failed (terraform)
   * @param context where the Bucket informer (registered only while that kind is served) keeps the Bucket
   */
  public static ArtifactStoreState artifacts(InfracastInstallation installation, KubernetesClient client,
      boolean bucketsServed, JobFailures jobFailures, Context<InfracastInstallation> context) {
    var provisioner = installation.getSpec().getArtifacts().getProvisioner();
    if (provisioner == Provisioner.EXTERNAL) {
      return EXTERNAL.artifacts(installation);
    }
    if (provisioner == Provisioner.TERRAFORM) {
      return TofuDataPlane.artifacts(installation, client, jobFailures, context);
    }
    return AckBucket.state(installation, bucketsServed, context.getSecondaryResource(Bucket.class));
  }
}
