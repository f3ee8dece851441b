package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;

/**
 * The migration ledger's ConfigMap: which version the schema reached and which migration Jobs failed, so that
 * neither is lost with a status or a Job's TTL. It shares the ConfigMap informer of {@link
 * ConfigMapDependentResource} (the workflow names it), so it costs no second watch.
 */
public class MigrationLedgerDependentResource
    extends CRUDKubernetesDependentResource<ConfigMap, InfracastInstallation> {

  @Override
  protected ConfigMap desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var facts = ReconcileFacts.of(context);
    return new ConfigMapBuilder()
        .withMetadata(OwnedMetadata.of(installation, ObjectNames.migrationLedger(installation), "migration"))
        .withData(facts.ledger().after(facts.migration()).data())
        .build();
  }
}
