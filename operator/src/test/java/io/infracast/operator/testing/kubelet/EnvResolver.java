package io.infracast.operator.testing.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet builds it: {@code envFrom} in order (prefix applied), then {@code env}
 * in order, each {@code value} expanded with {@code $(VAR)} against what came before, so explicit {@code env}
 * wins over {@code envFrom}. Secrets and ConfigMaps are read from the API server at start, as the kubelet does;
 * errors carry the kubelet's own wording (what {@code kubectl describe pod} shows for CreateContainerConfigError).
 */
final class EnvResolver {

  /** The pod cannot start: the kubelet's CreateContainerConfigError. */
  static final class ContainerConfigException extends Exception {
    ContainerConfigException(String message) {
      super(message, null, false, false);
    }
  }

  private static final Pattern FIELD_MAP = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private final KubernetesClient client;

  EnvResolver(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @param podMetadata the template's labels and annotations as {@code labels/KEY} and {@code annotations/KEY},
   *     for fieldRef
   */
  Map<String, String> resolve(String namespace, String podName, Map<String, String> podMetadata, Container c)
      throws ContainerConfigException {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
      String prefix = Objects.requireNonNullElse(from.getPrefix(), "");
      Map<String, String> values;
      if (from.getConfigMapRef() != null) {
        var ref = from.getConfigMapRef();
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
        if (cm == null) {
          if (Boolean.TRUE.equals(ref.getOptional())) {
            continue;
          }
          throw new ContainerConfigException("configmap \"" + ref.getName() + "\" not found");
        }
        values = Objects.requireNonNullElse(cm.getData(), Map.of());
      } else if (from.getSecretRef() != null) {
        var ref = from.getSecretRef();
        Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        if (secret == null) {
          if (Boolean.TRUE.equals(ref.getOptional())) {
            continue;
          }
          throw new ContainerConfigException("secret \"" + ref.getName() + "\" not found");
        }
        values = decoded(secret);
      } else {
        continue;
      }
      // Keys that cannot be variable names are skipped (the kubelet records an event and goes on).
      values.forEach((k, v) -> {
        if (!(prefix + k).isEmpty() && !(prefix + k).contains("=")) {
          env.put(prefix + k, v);
        }
      });
    }
    for (EnvVar e : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
      if (e.getValueFrom() == null) {
        env.put(e.getName(), expand(Objects.requireNonNullElse(e.getValue(), ""), env));
        continue;
      }
      String value = valueFrom(namespace, podName, podMetadata, e.getValueFrom());
      if (value != null) {
        env.put(e.getName(), value);
      }
    }
    return env;
  }

  /** The value, or null for an optional reference that does not resolve (the variable is then not set). */
  private String valueFrom(String namespace, String podName, Map<String, String> podMetadata, EnvVarSource from)
      throws ContainerConfigException {
    if (from.getSecretKeyRef() != null) {
      SecretKeySelector ref = from.getSecretKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
      if (secret == null) {
        if (optional) {
          return null;
        }
        throw new ContainerConfigException("secret \"" + ref.getName() + "\" not found");
      }
      String value = decoded(secret).get(ref.getKey());
      if (value == null && !optional) {
        throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in Secret " + namespace + "/"
            + ref.getName());
      }
      return value;
    }
    if (from.getConfigMapKeyRef() != null) {
      ConfigMapKeySelector ref = from.getConfigMapKeyRef();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
      if (cm == null) {
        if (optional) {
          return null;
        }
        throw new ContainerConfigException("configmap \"" + ref.getName() + "\" not found");
      }
      String value = Objects.requireNonNullElse(cm.getData(), Map.<String, String>of()).get(ref.getKey());
      if (value == null && !optional) {
        throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/"
            + ref.getName());
      }
      return value;
    }
    if (from.getFieldRef() != null) {
      return field(namespace, podName, podMetadata, from.getFieldRef());
    }
    throw new ContainerConfigException("LocalKubelet does not resolve resourceFieldRef");
  }

  private static String field(String namespace, String podName, Map<String, String> podMetadata,
      ObjectFieldSelector ref) throws ContainerConfigException {
    String path = ref.getFieldPath();
    Matcher m = FIELD_MAP.matcher(path);
    if (m.matches()) {
      return podMetadata.getOrDefault(m.group(1) + "/" + m.group(2), "");
    }
    return switch (path) {
      case "metadata.name", "spec.hostname" -> podName;
      case "metadata.namespace" -> namespace;
      case "spec.nodeName" -> "localhost";
      case "status.podIP", "status.hostIP" -> "127.0.0.1";
      case "spec.serviceAccountName" -> podMetadata.getOrDefault("serviceAccountName", "default");
      default -> throw new ContainerConfigException("LocalKubelet does not resolve fieldRef " + path);
    };
  }

  private static Map<String, String> decoded(Secret secret) {
    Map<String, String> values = new LinkedHashMap<>();
    Objects.requireNonNullElse(secret.getData(), Map.<String, String>of())
        .forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    // stringData is write-only on a real server; honoured in case a fake or a dry run hands it over.
    values.putAll(Objects.requireNonNullElse(secret.getStringData(), Map.of()));
    return values;
  }

  /**
   * Kubernetes' {@code $(VAR)} expansion: a defined variable is replaced, an undefined reference stays as written,
   * {@code $$} is an escaped {@code $}.
   */
  static String expand(String input, Map<String, String> vars) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < input.length()) {
      char ch = input.charAt(i);
      if (ch != '$' || i + 1 >= input.length()) {
        out.append(ch);
        i++;
        continue;
      }
      char next = input.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '(') {
        int close = input.indexOf(')', i + 2);
        if (close < 0) {
          out.append(input, i, input.length());
          break;
        }
        String name = input.substring(i + 2, close);
        out.append(vars.containsKey(name) ? vars.get(name) : input.substring(i, close + 1));
        i = close + 1;
      } else {
        out.append(ch).append(next);
        i += 2;
      }
    }
    return out.toString();
  }
}
