package io.infracast.operator.data;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.api.v1alpha1.DatabaseSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.api.v1alpha1.SecretKeyRef;
import io.infracast.operator.data.ack.AckBucket;
import io.infracast.operator.data.ack.Bucket;
import io.infracast.operator.data.external.ExternalDataPlane;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Locale;

/** Picks the data plane of each half (database, bucket) by its provisioner; ACK provisions buckets so far. */
public final class DataPlanes {

  private static final DataPlane EXTERNAL = new ExternalDataPlane();

  private DataPlanes() {}

  public static SecretKeyRef databaseUrlSecret(InfracastInstallation installation) {
    if (installation.getSpec().getDatabase().getProvisioner() == Provisioner.EXTERNAL) {
      return EXTERNAL.databaseUrlSecret(installation);
    }
    // Where the ACK and Terraform provisioners will write the URL.
    return new SecretKeyRef(installation.getMetadata().getName() + "-database", DatabaseSpec.DATABASE_URL_KEY);
  }

  public static DatabaseState database(InfracastInstallation installation, KubernetesClient client) {
    var provisioner = installation.getSpec().getDatabase().getProvisioner();
    if (provisioner == Provisioner.EXTERNAL) {
      return EXTERNAL.database(installation, client);
    }
    return DatabaseState.notReady("ProvisionerNotAvailable", notAvailable("database", provisioner));
  }

  /**
   * @param bucketsServed whether the cluster serves ACK's Bucket kind
   * @param context where the Bucket informer (registered only while that kind is served) keeps the Bucket
   */
  public static ArtifactStoreState artifacts(InfracastInstallation installation, boolean bucketsServed,
      Context<InfracastInstallation> context) {
    var provisioner = installation.getSpec().getArtifacts().getProvisioner();
    if (provisioner == Provisioner.EXTERNAL) {
      return EXTERNAL.artifacts(installation);
    }
    if (provisioner == Provisioner.ACK) {
      return AckBucket.state(installation, bucketsServed,
          context.getSecondaryResource(Bucket.class));
    }
    return ArtifactStoreState.notReady("ProvisionerNotAvailable", notAvailable("artifacts", provisioner));
  }

  // What is not provisioned yet (ACK databases, Terraform) says so instead of pretending.
  private static String notAvailable(String half, Provisioner provisioner) {
    return half + ".provisioner " + provisioner.name().toLowerCase(Locale.ROOT)
        + " is not available in this operator version yet; use external";
  }
}
