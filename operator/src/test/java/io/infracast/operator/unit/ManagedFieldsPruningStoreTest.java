package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.FieldsV1Builder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.dependent.ManagedFieldsPruningStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagedFieldsPruningStoreTest {

  private static ManagedFieldsEntry entry(String manager, String operation) {
    return new ManagedFieldsEntryBuilder().withManager(manager).withOperation(operation).build();
  }

  @Test
  void keepsOnlyTheOperatorsApplyEntryWhichTheSsaMatcherReads() {
    var store = new ManagedFieldsPruningStore<Deployment>();
    var deployment = new DeploymentBuilder().withNewMetadata().withName("api").withNamespace("acme")
        .withResourceVersion("7")
        .withManagedFields(entry(InstallationLabels.OPERATOR_NAME, "Apply"),
            entry(InstallationLabels.OPERATOR_NAME, "Update"), entry("kube-controller-manager", "Update"),
            entry("argocd-controller", "Apply"))
        .endMetadata().build();

    store.put(store.getKey(deployment), deployment);

    var cached = store.get("acme/api");
    assertThat(cached.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .containsExactly(tuple(InstallationLabels.OPERATOR_NAME, "Apply"));
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("7");
  }

  @Test
  void identicalFieldSetsOfDifferentTenantsAreKeptOnce() {
    var store = new ManagedFieldsPruningStore<Deployment>();
    for (var tenant : List.of("acme", "globex")) {
      var fields = new LinkedHashMap<String, Object>();
      fields.put("f:spec", new LinkedHashMap<>(Map.of("f:replicas", new LinkedHashMap<>(),
          "f:template", new LinkedHashMap<>(Map.of("f:spec", new LinkedHashMap<>())))));
      var own = entry(InstallationLabels.OPERATOR_NAME, "Apply");
      own.setFieldsV1(new FieldsV1Builder().addToAdditionalProperties(fields).build());
      var deployment = new DeploymentBuilder().withNewMetadata().withName("api").withNamespace(tenant)
          .withManagedFields(own).endMetadata().build();
      store.put(store.getKey(deployment), deployment);
    }

    var acme = fieldSet(store.get("acme/api"));
    var globex = fieldSet(store.get("globex/api"));
    assertThat(acme).isSameAs(globex)
        .isEqualTo(Map.of("f:spec", Map.of("f:replicas", Map.of(), "f:template", Map.of("f:spec", Map.of()))));
  }

  private static Map<String, Object> fieldSet(Deployment deployment) {
    return deployment.getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties();
  }
}
