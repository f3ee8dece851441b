package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl explain} answers every field of the committed CRD: each property under spec and status, objects
 * and array items' properties included, has a description. (An array's items schema itself needs none: explain
 * shows the array field's description for it.)
 */
class CrdDescriptionsTest {

  @Test
  void everyPropertyUnderSpecAndStatusIsDescribed() throws Exception {
    var crd = new KubernetesSerialization().unmarshal(
        Files.readString(Path.of("..", "crds", CommittedCrdTest.CRD_FILE)), CustomResourceDefinition.class);
    JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    List<String> undescribed = new ArrayList<>();
    for (String top : List.of("spec", "status")) {
      collectUndescribed(top, root.getProperties().get(top), undescribed);
    }
    assertThat(undescribed)
        .as("properties of crds/%s without a description (add @JsonPropertyDescription on the field)",
            CommittedCrdTest.CRD_FILE)
        .isEmpty();
  }

  private static void collectUndescribed(String path, JSONSchemaProps property, List<String> undescribed) {
    if (property.getDescription() == null || property.getDescription().isBlank()) {
      undescribed.add(path);
    }
    walkChildren(path, property, undescribed);
  }

  private static void walkChildren(String path, JSONSchemaProps schema, List<String> undescribed) {
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, child) -> collectUndescribed(path + "." + name, child, undescribed));
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      walkChildren(path + "[]", schema.getItems().getSchema(), undescribed);
    }
  }
}
