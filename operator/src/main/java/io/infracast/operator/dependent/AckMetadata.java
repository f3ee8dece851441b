package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.ack.AckStatus;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metadata of an ACK object the operator owns. It carries ACK's retain annotation from the start, so that
 * deleting the object (the garbage collector does when the installation goes, with or without the operator)
 * never deletes the tenant's data in AWS; only the installation's deletionPolicy, applied by the operator, lets
 * AWS delete it.
 */
final class AckMetadata {

  private AckMetadata() {}

  /** @param region AWS region of the resource, or null for the ACK controller's own */
  static ObjectMeta of(InfracastInstallation installation, String name, String component, String region) {
    return of(installation, name, component, region, Map.of());
  }

  /** @param more further annotations for the ACK controller */
  static ObjectMeta of(InfracastInstallation installation, String name, String component, String region,
      Map<String, String> more) {
    var annotations = new TreeMap<String, String>(more);
    annotations.put(AckStatus.DELETION_POLICY, AckStatus.RETAIN);
    if (region != null) {
      annotations.put(AckStatus.REGION, region);
    }
    return OwnedMetadata.builder(installation, name, component).withAnnotations(annotations).build();
  }
}
