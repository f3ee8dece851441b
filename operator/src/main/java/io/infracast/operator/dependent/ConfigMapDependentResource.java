package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.infracast.operator.api.v1alpha1.ApiSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Optional;
import java.util.TreeMap;

/** The service's non-secret settings (the runtime contract); secrets go through secretKeyRef, never here. */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class ConfigMapDependentResource extends CRUDKubernetesDependentResource<ConfigMap, InfracastInstallation> {

  public static final String API_PORT = "8080";
  public static final String DEFAULT_PLUGIN_DIR = "/usr/local/lib/infracast/plugins";

  @Override
  protected ConfigMap desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    return new ConfigMapBuilder()
        .withMetadata(OwnedMetadata.of(installation, ObjectNames.config(installation), "api"))
        .withData(settings(installation, ReconcileFacts.of(context)))
        .build();
  }

  /** The environment the API container gets from this ConfigMap, sorted so its hash is stable. */
  public static TreeMap<String, String> settings(InfracastInstallation installation, ReconcileFacts facts) {
    var api = Optional.ofNullable(installation.getSpec().getApi());
    var data = new TreeMap<String, String>();
    data.put("API_PORT", API_PORT);
    data.put("PLUGIN_DIR", api.map(ApiSpec::getPluginDir).orElse(DEFAULT_PLUGIN_DIR));
    api.map(ApiSpec::getContentCdnUrl).ifPresent(url -> data.put("CONTENT_CDN_URL", url));
    if (facts.artifacts().bucket() != null) {
      data.put("ARTIFACTS_BUCKET", facts.artifacts().bucket());
      data.put("AWS_REGION", facts.artifacts().region());
    }
    // Migrations run in the operator's migration Jobs, never at pod start.
    data.put("MIGRATE_ON_START", "false");
    return data;
  }
}
