package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.ack.AckBucket;
import io.infracast.operator.data.ack.Bucket;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;
import java.util.TreeMap;

/**
 * ACK's Bucket for the evidence bucket (artifacts.provisioner ack); ACK's S3 controller creates it in AWS and
 * reports back in the Bucket's status.
 *
 * <p>It carries ACK's retain annotation from the start, so that deleting the installation (the garbage
 * collector deletes the Bucket with it) never deletes the tenant's evidence in AWS.
 */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class BucketDependentResource extends CRUDKubernetesDependentResource<Bucket, InfracastInstallation> {

  @Override
  protected Bucket desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var annotations = new TreeMap<String, String>(Map.of(AckBucket.DELETION_POLICY, "retain"));
    var region = installation.getSpec().getArtifacts().getRegion();
    if (region != null) {
      annotations.put(AckBucket.REGION, region);
    }
    var bucket = new Bucket();
    bucket.setMetadata(OwnedMetadata.builder(installation, ObjectNames.bucket(installation), "artifacts")
        .withAnnotations(annotations).build());
    bucket.setSpec(AckBucket.spec(installation));
    return bucket;
  }
}
