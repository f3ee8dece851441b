package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.ack.AckBucket;
import io.infracast.operator.data.ack.Bucket;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * ACK's Bucket for the evidence bucket (artifacts.provisioner ack); ACK's S3 controller creates it in AWS and
 * reports back in the Bucket's status. Retained in AWS when the object goes (see {@link AckMetadata}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class BucketDependentResource extends CRUDKubernetesDependentResource<Bucket, InfracastInstallation> {

  @Override
  protected Bucket desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var bucket = new Bucket();
    bucket.setMetadata(AckMetadata.of(installation, ObjectNames.bucket(installation), "artifacts",
        installation.getSpec().getArtifacts().getRegion()));
    bucket.setSpec(AckBucket.spec(installation));
    return bucket;
  }
}
