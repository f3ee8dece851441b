package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.infracast.contract.RuntimeSettings;
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
    data.put(RuntimeSettings.API_PORT, String.valueOf(DeploymentDependentResource.PORT));
    data.put(RuntimeSettings.PLUGIN_DIR, api.map(ApiSpec::getPluginDir).orElse(RuntimeSettings.DEFAULT_PLUGIN_DIR));
    api.map(ApiSpec::getContentCdnUrl).ifPresent(url -> data.put(RuntimeSettings.CONTENT_CDN_URL, url));
    if (facts.artifacts().bucket() != null) {
      data.put(RuntimeSettings.ARTIFACTS_BUCKET, facts.artifacts().bucket());
      data.put(RuntimeSettings.AWS_REGION, facts.artifacts().region());
    }
    // Migrations run in the operator's migration Jobs, never at pod start.
    data.put(RuntimeSettings.MIGRATE_ON_START, "false");
    return data;
  }
}
