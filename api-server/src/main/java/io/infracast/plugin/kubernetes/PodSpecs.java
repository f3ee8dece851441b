package io.infracast.plugin.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * A workload's pod template as the security-relevant properties of its node. Values are the effective ones, as
 * the kubelet would apply them: a container's security context over the pod's, Kubernetes' defaults where
 * nothing is set (privilege escalation is allowed unless forbidden), the service account's automount setting
 * where the pod has none.
 */
final class PodSpecs {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private PodSpecs() {}

  /**
   * The pod-level properties and {@code containers} (init and regular containers, each with {@code init}).
   *
   * @param serviceAccountAutomount the pod's service account's {@code automountServiceAccountToken}, or null
   */
  static void describe(JsonNode template, ObjectNode into, JsonNode serviceAccountAutomount) {
    JsonNode pod = template.path("spec");
    JsonNode podSecurity = pod.path("securityContext");
    into.put("service_account_name", pod.path("serviceAccountName").asText("default"));
    JsonNode automount = pod.hasNonNull("automountServiceAccountToken") ? pod.get("automountServiceAccountToken")
        : serviceAccountAutomount;
    into.put("automount_service_account_token", automount == null || automount.isNull() || automount.asBoolean());
    into.put("host_network", pod.path("hostNetwork").asBoolean(false));
    into.put("host_pid", pod.path("hostPID").asBoolean(false));
    into.put("host_ipc", pod.path("hostIPC").asBoolean(false));
    ArrayNode hostPaths = into.putArray("host_path_volumes");
    Set<String> secrets = new TreeSet<>();
    for (JsonNode volume : pod.path("volumes")) {
      if (volume.has("hostPath")) {
        hostPaths.add(volume.path("hostPath").path("path").asText());
      }
      if (volume.has("secret")) {
        secrets.add(volume.path("secret").path("secretName").asText());
      }
      for (JsonNode source : volume.path("projected").path("sources")) {
        if (source.has("secret")) {
          secrets.add(source.path("secret").path("name").asText());
        }
      }
    }
    pod.path("imagePullSecrets").forEach(s -> secrets.add(s.path("name").asText()));
    ArrayNode containers = into.putArray("containers");
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : pod.path(list)) {
        containers.add(container(c, podSecurity, list.equals("initContainers"), secrets));
      }
    }
    secrets.remove("");
    ArrayNode referenced = into.putArray("secrets_referenced");
    secrets.forEach(referenced::add);
  }

  private static ObjectNode container(JsonNode c, JsonNode podSecurity, boolean init, Set<String> secrets) {
    ObjectNode out = F.objectNode();
    JsonNode sc = c.path("securityContext");
    out.put("name", c.path("name").asText());
    out.put("init", init);
    String image = c.path("image").asText("");
    out.put("image", image);
    out.put("image_tag", imageTag(image));
    out.put("image_pinned_by_digest", image.contains("@sha256:"));
    boolean privileged = sc.path("privileged").asBoolean(false);
    out.put("privileged", privileged);
    ArrayNode add = out.putArray("capabilities_add");
    sc.path("capabilities").path("add").forEach(cap -> add.add(cap.asText()));
    ArrayNode drop = out.putArray("capabilities_drop");
    sc.path("capabilities").path("drop").forEach(cap -> drop.add(cap.asText()));
    // Kubernetes allows escalation unless it is set to false; privileged or CAP_SYS_ADMIN always allow it.
    out.put("allow_privilege_escalation", privileged || contains(add, "SYS_ADMIN")
        || sc.path("allowPrivilegeEscalation").asBoolean(true));
    out.put("run_as_non_root", effective(sc, podSecurity, "runAsNonRoot").asBoolean(false));
    JsonNode user = effective(sc, podSecurity, "runAsUser");
    if (user.isNumber()) {
      out.put("run_as_user", user.asLong());
    }
    out.put("read_only_root_filesystem", sc.path("readOnlyRootFilesystem").asBoolean(false));
    JsonNode resources = c.path("resources");
    out.put("has_cpu_request", resources.path("requests").has("cpu"));
    out.put("has_memory_request", resources.path("requests").has("memory"));
    out.put("has_cpu_limit", resources.path("limits").has("cpu"));
    out.put("has_memory_limit", resources.path("limits").has("memory"));
    Set<String> envSecrets = new TreeSet<>();
    for (JsonNode env : c.path("env")) {
      JsonNode ref = env.path("valueFrom").path("secretKeyRef");
      if (ref.has("name")) {
        envSecrets.add(ref.get("name").asText());
      }
    }
    Set<String> envFromSecrets = new TreeSet<>();
    for (JsonNode from : c.path("envFrom")) {
      if (from.path("secretRef").has("name")) {
        envFromSecrets.add(from.path("secretRef").get("name").asText());
      }
    }
    ArrayNode secretEnv = out.putArray("secret_env");
    envSecrets.forEach(secretEnv::add);
    ArrayNode secretEnvFrom = out.putArray("secret_env_from");
    envFromSecrets.forEach(secretEnvFrom::add);
    secrets.addAll(envSecrets);
    secrets.addAll(envFromSecrets);
    return out;
  }

  /** The tag of an image reference: {@code latest} when it has none (and no digest), the digest when pinned. */
  static String imageTag(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      return image.substring(at + 1);
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(colon + 1) : "latest";
  }

  private static JsonNode effective(JsonNode container, JsonNode pod, String field) {
    return container.hasNonNull(field) ? container.get(field) : pod.path(field);
  }

  private static boolean contains(ArrayNode values, String value) {
    for (JsonNode v : values) {
      if (v.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }
}
