package io.infracast.operator.data.external;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.api.v1alpha1.DatabaseSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.SecretKeyRef;
import io.infracast.operator.data.ArtifactStoreState;
import io.infracast.operator.data.DataPlane;
import io.infracast.operator.data.DatabaseState;
import io.infracast.operator.data.SecretReferences;
import java.net.URI;

/** The user supplies both: a Secret with DATABASE_URL, and a bucket name and region. */
public class ExternalDataPlane implements DataPlane {

  @Override
  public SecretKeyRef databaseUrlSecret(InfracastInstallation installation) {
    var spec = installation.getSpec().getDatabase().getExternalSecretRef();
    return new SecretKeyRef(spec.getName(), spec.keyOr(DatabaseSpec.DATABASE_URL_KEY));
  }

  @Override
  public DatabaseState database(InfracastInstallation installation, KubernetesClient client) {
    var ref = databaseUrlSecret(installation);
    var namespace = installation.getMetadata().getNamespace();
    var lookup = SecretReferences.read(client, namespace, ref, "database.externalSecretRef", "Database");
    if (!lookup.found()) {
      return DatabaseState.notReady(lookup.reason(), lookup.message());
    }
    var endpoint = endpointOf(lookup.value());
    if (endpoint == null) {
      return DatabaseState.notReady("DatabaseUrlInvalid", "Secret " + namespace + "/" + ref.getName() + " key "
          + ref.getKey() + " is not a postgres://, postgresql:// or jdbc:postgresql:// URL with a host");
    }
    return new DatabaseState(true, "ExternalDatabase",
        "Using the database at " + endpoint + " from Secret " + ref.getName(), endpoint);
  }

  @Override
  public ArtifactStoreState artifacts(InfracastInstallation installation) {
    var spec = installation.getSpec().getArtifacts();
    return new ArtifactStoreState(true, "ExternalBucket", "Using bucket " + spec.getBucketName(),
        spec.getBucketName(), spec.getRegion());
  }

  /** host:port of a postgres:// or jdbc:postgresql:// URL, never its credentials; null when unparsable. */
  static String endpointOf(String url) {
    try {
      var uri = URI.create(url.trim().replaceFirst("^jdbc:", ""));
      var scheme = uri.getScheme();
      if (uri.getHost() == null || !("postgres".equals(scheme) || "postgresql".equals(scheme))) {
        return null;
      }
      return uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 5432);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
