package io.infracast.operator.api.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Build time only, called by the CRD generator: declares apiVersion, kind and metadata.name (with the 253
 * characters Kubernetes allows any name) in the root schema. The API server estimates a CEL rule's cost from the
 * longest value the schema admits; unless the root schema declares all of these, it assumes its own unbounded
 * metadata.name, and the root rules on the name exceed the cost budget. (The generator's merge-patch customizer
 * would replace the root's properties instead of merging into them.)
 */
public final class BoundedObjectMeta implements SchemaCustomizer.Customizer {

  private static final long MAX_NAME_LENGTH = 253;

  @Override
  public JSONSchemaProps apply(JSONSchemaProps root, String input, KubernetesSerialization serialization) {
    root.getProperties().put("apiVersion", string(null));
    root.getProperties().put("kind", string(null));
    root.getProperties().put("metadata", new JSONSchemaPropsBuilder().withType("object")
        .addToProperties("name", string(MAX_NAME_LENGTH))
        .addToProperties("generateName", string(MAX_NAME_LENGTH))
        .build());
    return root;
  }

  private static JSONSchemaProps string(Long maxLength) {
    return new JSONSchemaPropsBuilder().withType("string").withMaxLength(maxLength).build();
  }
}
