package io.infracast.operator.testing.kubelet;

import io.fabric8.kubernetes.api.model.HasMetadata;

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
}
