package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.OperatorClient;
import io.infracast.operator.dependent.InstallationLabels;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the operator's client keeps of managedFields when it reads an object (and so what its caches hold). */
class OwnManagedFieldsTest {

  private static KubernetesClient client;

  @BeforeAll
  static void client() {
    client = OperatorClient.builder(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build()).build();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  private static Deployment read(String namespace) {
    var json = """
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "api", "namespace": "%s", "resourceVersion": "7", "managedFields": [
           {"manager": "%s", "operation": "Apply", "fieldsType": "FieldsV1",
            "fieldsV1": {"f:spec": {"f:replicas": {}, "f:template": {"f:spec": {}}}}},
           {"manager": "%s", "operation": "Update", "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {}}},
           {"manager": "kube-controller-manager", "operation": "Update", "subresource": "status",
            "fieldsType": "FieldsV1", "fieldsV1": {"f:status": {"f:replicas": {}}}},
           {"manager": "argocd-controller", "operation": "Apply", "fieldsType": "FieldsV1",
            "fieldsV1": {"f:spec": {}}}]}}
        """.formatted(namespace, InstallationLabels.OPERATOR_NAME, InstallationLabels.OPERATOR_NAME);
    return client.getKubernetesSerialization().unmarshal(json, Deployment.class);
  }

  @Test
  void keepsOnlyTheOperatorsApplyEntryWhichTheSsaMatcherReads() {
    var deployment = read("acme");
    assertThat(deployment.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .containsExactly(tuple(InstallationLabels.OPERATOR_NAME, "Apply"));
    assertThat(deployment.getMetadata().getResourceVersion()).isEqualTo("7");
  }

  @Test
  void identicalFieldSetsOfDifferentTenantsAreKeptOnce() {
    var acme = fieldSet(read("acme"));
    var globex = fieldSet(read("globex"));
    assertThat(acme).isSameAs(globex)
        .isEqualTo(Map.of("f:spec", Map.of("f:replicas", Map.of(), "f:template", Map.of("f:spec", Map.of()))));
  }

  private static Map<String, Object> fieldSet(Deployment deployment) {
    return deployment.getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties();
  }
}
