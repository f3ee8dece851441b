package io.infracast.operator.testing.kubelet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What the kubelet knows of one Deployment or Job it plays the controller for: identity and latest version. */
abstract class Simulated<T extends HasMetadata> {

  protected final LocalKubelet kubelet;
  protected final String namespace;
  protected final String name;
  /** Written by informer threads, read by the kubelet's loop. */
  protected volatile T latest;

  Simulated(LocalKubelet kubelet, T object) {
    this.kubelet = kubelet;
    this.namespace = object.getMetadata().getNamespace();
    this.name = object.getMetadata().getName();
    this.latest = object;
  }

  void update(T object) {
    latest = object;
  }

  boolean is(String namespace, String name) {
    return this.namespace.equals(namespace) && this.name.equals(name);
  }

  String key() {
    return namespace + "/" + name;
  }

  /** The pod fields a fieldRef may name (labels/…, annotations/…, serviceAccountName), from a pod template. */
  static Map<String, String> podFields(PodTemplateSpec template) {
    Map<String, String> fields = new HashMap<>();
    Optional.ofNullable(template.getMetadata()).ifPresent(m -> {
      Objects.requireNonNullElse(m.getLabels(), Map.<String, String>of())
          .forEach((k, v) -> fields.put("labels/" + k, v));
      Objects.requireNonNullElse(m.getAnnotations(), Map.<String, String>of())
          .forEach((k, v) -> fields.put("annotations/" + k, v));
    });
    Optional.ofNullable(template.getSpec().getServiceAccountName())
        .ifPresent(sa -> fields.put("serviceAccountName", sa));
    return fields;
  }
}
