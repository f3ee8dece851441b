package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.terraform.TofuRunner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The OpenTofu apply of the current inputs (see {@link TofuRunner}). Create-only, like the migration Job: changed
 * inputs are a new Job under a new name; a finished one stays with its logs (OpenTofu's lock serialises an apply
 * started while an older one still runs).
 */
public class TofuApplyJobDependentResource extends KubernetesDependentResource<Job, InfracastInstallation>
    implements Creator<Job, InfracastInstallation> {

  @Override
  protected Job desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    return TofuRunner.job(installation, OwnedMetadata.builder(installation, TofuRunner.applyJob(installation),
        TofuRunner.COMPONENT).withLabels(TofuRunner.labels(installation, true)).build(), "apply");
  }

  @Override
  protected boolean addOwnerReference() {
    return true;
  }

  @Override
  protected ResourceID targetSecondaryResourceID(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    return new ResourceID(TofuRunner.applyJob(installation), installation.getMetadata().getNamespace());
  }
}
