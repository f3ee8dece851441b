package io.infracast.operator.data.external;

import io.infracast.contract.ConfigException;
import io.infracast.contract.DatabaseUrl;
import io.infracast.operator.api.v1alpha1.DatabaseSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.SecretKeyRef;
import io.infracast.operator.data.ArtifactStoreState;
import io.infracast.operator.data.DataPlane;
import io.infracast.operator.data.DatabaseState;
import io.infracast.operator.data.SecretReferences;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The user supplies both: a Secret with DATABASE_URL, and a bucket name and region. */
public class ExternalDataPlane implements DataPlane {

  @Override
  public SecretKeyRef databaseUrlSecret(InfracastInstallation installation) {
    var spec = installation.getSpec().getDatabase().getExternalSecretRef();
    return new SecretKeyRef(spec.getName(), spec.keyOr(DatabaseSpec.DATABASE_URL_KEY));
  }

  @Override
  public DatabaseState database(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var ref = databaseUrlSecret(installation);
    var namespace = installation.getMetadata().getNamespace();
    var lookup = SecretReferences.read(context, ref, "database.externalSecretRef", "Database");
    if (!lookup.found()) {
      return DatabaseState.notReady(lookup.reason(), lookup.message());
    }
    // The service's own parser: a URL the operator accepts is one the pods can connect with, and vice versa.
    DatabaseUrl url;
    try {
      url = DatabaseUrl.parse(lookup.value(),
          "Secret " + namespace + "/" + ref.getName() + " key " + ref.getKey() + " (database.externalSecretRef)");
    } catch (ConfigException e) {
      return DatabaseState.notReady("DatabaseUrlInvalid", e.getMessage());
    }
    return DatabaseState.ready("ExternalDatabase",
        "Using the database at " + url.hosts() + " from Secret " + ref.getName(), url.hosts());
  }

  @Override
  public ArtifactStoreState artifacts(InfracastInstallation installation) {
    var spec = installation.getSpec().getArtifacts();
    return ArtifactStoreState.ready("ExternalBucket", "Using bucket " + spec.getBucketName(),
        spec.getBucketName(), spec.getRegion());
  }
}
