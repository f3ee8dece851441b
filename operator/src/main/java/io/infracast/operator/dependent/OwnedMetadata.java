package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;

/**
 * Metadata of an owned object: its name, the installation's namespace and labels, and the installation as its one
 * controller. JOSDK would add a plain owner reference; it keeps this one, which has the same UID.
 */
final class OwnedMetadata {

  private OwnedMetadata() {}

  static ObjectMetaBuilder builder(InfracastInstallation installation, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(installation.getMetadata().getNamespace())
        .withLabels(InstallationLabels.of(installation, component))
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(installation.getApiVersion())
            .withKind(installation.getKind())
            .withName(installation.getMetadata().getName())
            .withUid(installation.getMetadata().getUid())
            .withController(true)
            // The garbage collector deletes the installation only after what it owns ("foreground" deletion).
            .withBlockOwnerDeletion(true)
            .build());
  }

  static ObjectMeta of(InfracastInstallation installation, String name, String component) {
    return builder(installation, name, component).build();
  }
}
