package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.infracast.contract.DatabaseUrl;
import io.infracast.operator.api.v1alpha1.DatabaseSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.data.terraform.TofuDataPlane;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * DATABASE_URL of the database ACK provisioned, composed from the endpoint the DBInstance reports and the master
 * password, or of the one OpenTofu applied, from its state's outputs; the pods read it through secretKeyRef only. While the instance reports no endpoint (rebooting, say)
 * the Secret keeps the URL it has, so pods that start meanwhile still get one.
 */
public class DatabaseUrlSecretDependentResource extends CRUDKubernetesDependentResource<Secret, InfracastInstallation> {

  @Override
  protected Secret desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var name = ObjectNames.databaseUrlSecret(installation);
    var endpoint = ReconcileFacts.of(context).database().endpoint();
    var terraform = installation.getSpec().getDatabase().getProvisioner() == Provisioner.TERRAFORM;
    var url = terraform ? TofuDataPlane.outputs(context).map(TofuDataPlane.Outputs::databaseUrl)
        .orElseGet(() -> stored(installation, context, name, DatabaseSpec.DATABASE_URL_KEY))
        : endpoint == null ? stored(installation, context, name, DatabaseSpec.DATABASE_URL_KEY)
        : DatabaseUrl.of(endpoint.substring(0, endpoint.lastIndexOf(':')),
            Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)), AckRds.DATABASE_NAME,
            AckRds.MASTER_USERNAME, stored(installation, context, ObjectNames.databaseMasterSecret(installation),
                AckRds.PASSWORD_KEY)).withCredentials();
    return new SecretBuilder()
        .withMetadata(OwnedMetadata.of(installation, name, "database"))
        .withType("Opaque")
        .withStringData(Map.of(DatabaseSpec.DATABASE_URL_KEY, url))
        .build();
  }

  /** A key of one of the operator's own Secrets, from the informer's cache. */
  private static String stored(InfracastInstallation installation, Context<InfracastInstallation> context,
      String secret, String key) {
    var value = context.getSecondaryResourcesAsStream(Secret.class)
        .filter(s -> secret.equals(s.getMetadata().getName())
            && installation.getMetadata().getNamespace().equals(s.getMetadata().getNamespace()))
        .findFirst().map(Secret::getData).map(data -> data.get(key))
        .orElseThrow(() -> new IllegalStateException("Secret " + installation.getMetadata().getNamespace() + "/"
            + secret + " has no key " + key + " yet; it is made before the database is asked for"));
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    return new ResourceID(ObjectNames.databaseUrlSecret(installation), installation.getMetadata().getNamespace());
  }
}
