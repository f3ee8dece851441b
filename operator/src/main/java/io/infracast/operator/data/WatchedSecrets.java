package io.infracast.operator.data;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.SecretsSpec;
import io.infracast.operator.dependent.ApiPod;
import io.infracast.operator.dependent.ServiceKeysSecretDependentResource;
import io.infracast.operator.dependent.InstallationLabels;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The user's Secrets an installation references, watched so that a Secret deleted or fixed changes the status
 * within seconds instead of at the next resync. The operator never caches every Secret of the cluster: as the
 * Keycloak operator does, it labels each referenced Secret and watches only Secrets carrying that label. The
 * label is the operator's only write to a user's object. A Secret that does not exist yet cannot carry it; the
 * reconciler looks again for those on a short recheck.
 */
public final class WatchedSecrets {

  public static final String LABEL = "infracast.io/watched";
  static final String NAME = "referenced-secrets";
  /** Primary-cache index: which installations reference the Secret "namespace/name". */
  private static final String INDEX = "by-referenced-secret";

  private WatchedSecrets() {}

  /** The names of the user Secrets {@code installation} references, in its namespace. */
  public static List<String> referenced(InfracastInstallation installation) {
    var names = new ArrayList<String>();
    Optional.ofNullable(installation.getSpec().getSecrets()).map(SecretsSpec::getJwtSecretRef)
        .ifPresent(ref -> names.add(ApiPod.jwtSecret(installation).getName()));
    ServiceKeysSecretDependentResource.referenced(installation).ifPresent(names::add);
    if (installation.getSpec().getDatabase().getExternalSecretRef() != null) {
      names.add(DataPlanes.databaseUrlSecret(installation).getName());
    }
    return names;
  }

  /** The informer of labelled Secrets, each mapped to every installation that references it. */
  public static InformerEventSource<Secret, InfracastInstallation> eventSource(
      EventSourceContext<InfracastInstallation> context) {
    var primaries = context.getPrimaryCache();
    primaries.addIndexer(INDEX, installation -> referenced(installation).stream()
        .map(name -> installation.getMetadata().getNamespace() + "/" + name).toList());
    var configuration = InformerEventSourceConfiguration.from(Secret.class, InfracastInstallation.class)
        .withName(NAME)
        .withLabelSelector(LABEL + "=true")
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(secret -> primaries.byIndex(INDEX,
                secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName()).stream()
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build();
    return new InformerEventSource<>(configuration, context);
  }

  /**
   * Labels the referenced Secrets that exist and are not watched yet. Only the label is patched, under the
   * operator's field manager; a Secret that vanished meanwhile is left to the next reconcile.
   */
  public static void watch(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var namespace = installation.getMetadata().getNamespace();
    var watched = context.getSecondaryResourcesAsStream(Secret.class)
        .filter(s -> s.getMetadata().getLabels() != null && "true".equals(s.getMetadata().getLabels().get(LABEL)))
        .map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
    for (var name : referenced(installation)) {
      if (watched.contains(name)) {
        continue;
      }
      var label = new SecretBuilder().withNewMetadata().withLabels(Map.of(LABEL, "true")).endMetadata().build();
      try {
        context.getClient().secrets().inNamespace(namespace).withName(name).patch(MERGE_LABEL, label);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  private static final PatchContext MERGE_LABEL = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
      .withFieldManager(InstallationLabels.OPERATOR_NAME).build();
}
