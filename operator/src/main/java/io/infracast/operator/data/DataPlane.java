package io.infracast.operator.data;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.SecretKeyRef;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Supplies an installation's PostgreSQL URL and evidence bucket. One implementation per provisioner
 * (external now; ACK and Terraform behind the same seam), chosen by {@link DataPlanes}.
 */
public interface DataPlane {

  /** The Secret key that holds (or will hold) DATABASE_URL; fixed for an installation, ready or not. */
  SecretKeyRef databaseUrlSecret(InfracastInstallation installation);

  /** Whether the database is usable, or why not. Reads only; never writes. */
  DatabaseState database(InfracastInstallation installation, Context<InfracastInstallation> context);

  /** Which bucket holds evidence, or why it is not usable yet. */
  ArtifactStoreState artifacts(InfracastInstallation installation);
}
