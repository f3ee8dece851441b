package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;

/** Metadata of an owned object: its name, the installation's namespace and the installation's labels. */
final class OwnedMetadata {

  private OwnedMetadata() {}

  static ObjectMetaBuilder builder(InfracastInstallation installation, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(installation.getMetadata().getNamespace())
        .withLabels(InstallationLabels.of(installation, component));
  }

  static ObjectMeta of(InfracastInstallation installation, String name, String component) {
    return builder(installation, name, component).build();
  }
}
