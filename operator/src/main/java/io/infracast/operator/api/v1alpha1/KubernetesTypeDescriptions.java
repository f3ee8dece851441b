package io.infracast.operator.api.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;

/**
 * Build time only, called by the CRD generator on a class that embeds fabric8's EnvVar or Condition: fabric8's
 * model classes carry no descriptions, so {@code kubectl explain} would say {@code <no description>} for their
 * fields. The texts follow the Kubernetes API reference. Paths are relative to the annotated class's schema,
 * {@code []} stepping into an array's items.
 */
public final class KubernetesTypeDescriptions implements SchemaCustomizer.Customizer {

  private static final Map<String, String> DESCRIPTIONS = withKeyRefs(Map.ofEntries(
      Map.entry("env[].name", "Name of the environment variable."),
      Map.entry("env[].value", "Value of the variable; $(VAR) references earlier variables. Unset or empty when"
          + " valueFrom is used."),
      Map.entry("env[].valueFrom", "Where the value comes from instead of value: a ConfigMap or Secret key, a"
          + " field of the pod, a container resource, or a file in a volume."),
      Map.entry("env[].valueFrom.fieldRef", "A field of the pod, e.g. metadata.name or status.podIP."),
      Map.entry("env[].valueFrom.fieldRef.apiVersion", "API version the fieldPath is written in; default v1."),
      Map.entry("env[].valueFrom.fieldRef.fieldPath", "Path of the field, e.g. metadata.namespace."),
      Map.entry("env[].valueFrom.resourceFieldRef", "A resource request or limit of a container, e.g."
          + " limits.memory."),
      Map.entry("env[].valueFrom.resourceFieldRef.containerName", "Container whose resource is read; default the"
          + " API container."),
      Map.entry("env[].valueFrom.resourceFieldRef.resource", "Resource to read: limits.cpu, limits.memory,"
          + " requests.cpu, requests.memory, ..."),
      Map.entry("env[].valueFrom.resourceFieldRef.divisor", "Unit the value is expressed in, e.g. 1m or 1Mi;"
          + " default 1."),
      Map.entry("env[].valueFrom.fileKeyRef", "A key of an env file in one of the pod's volumes."),
      Map.entry("env[].valueFrom.fileKeyRef.volumeName", "Name of the volume holding the file."),
      Map.entry("env[].valueFrom.fileKeyRef.path", "Path of the env file inside the volume."),
      Map.entry("env[].valueFrom.fileKeyRef.key", "Key inside the env file."),
      Map.entry("env[].valueFrom.fileKeyRef.optional", "true: start the pod even when the file or key is"
          + " missing; default false."),
      Map.entry("conditions[].type", "Ready, Progressing, Degraded, DatabaseReady, ArtifactStoreReady or Migrated."),
      Map.entry("conditions[].status", "True, False or Unknown."),
      Map.entry("conditions[].reason", "Why the condition has its status, one CamelCase word for alerts and"
          + " dashboards."),
      Map.entry("conditions[].message", "What is going on, in one line for a human."),
      Map.entry("conditions[].lastTransitionTime", "When the status last changed (RFC 3339)."),
      Map.entry("conditions[].observedGeneration", "The metadata.generation the condition was computed from.")));

  /** {@code env[].valueFrom.configMapKeyRef} and {@code secretKeyRef}: the same four fields for either kind. */
  private static Map<String, String> withKeyRefs(Map<String, String> descriptions) {
    var all = new java.util.HashMap<>(descriptions);
    Map.of("configMapKeyRef", "ConfigMap", "secretKeyRef", "Secret").forEach((field, kind) -> {
      var path = "env[].valueFrom." + field;
      all.put(path, "A key of a " + kind + " in the installation's namespace.");
      all.put(path + ".name", "Name of the " + kind + ".");
      all.put(path + ".key", "Key inside the " + kind + ".");
      all.put(path + ".optional", "true: start the pod even when the " + kind + " or key is missing; default"
          + " false.");
    });
    return Map.copyOf(all);
  }

  @Override
  public JSONSchemaProps apply(JSONSchemaProps schema, String input, KubernetesSerialization serialization) {
    describe(schema, "");
    return schema;
  }

  private static void describe(JSONSchemaProps schema, String path) {
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, property) -> {
        String child = path.isEmpty() ? name : path + "." + name;
        String description = DESCRIPTIONS.get(child);
        if (description != null) {
          property.setDescription(description);
        }
        describe(property, child);
      });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      describe(schema.getItems().getSchema(), path + "[]");
    }
  }
}
