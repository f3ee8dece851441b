package io.infracast.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.migration.MigrationJobNames;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.HashMap;
import java.util.Set;

/**
 * The one-shot `migrate` of the target version. Create-only: a Job is never updated, only created under a new
 * name (version and retry are in it), so a restarted operator finds its Job instead of making a second one. It
 * is not deleted when the migration is done: it stays, with its logs, until its TTL.
 */
@KubernetesDependent(informer = @Informer(labelSelector = InstallationLabels.MANAGED_BY_SELECTOR))
public class MigrationJobDependentResource extends KubernetesDependentResource<Job, InfracastInstallation>
    implements Creator<Job, InfracastInstallation>, SecondaryToPrimaryMapper<Job> {

  private static final SecondaryToPrimaryMapper<Job> BY_OWNER =
      Mappers.fromOwnerReferences(InfracastInstallation.class, false);

  public static final String TARGET_VERSION_LABEL = MigrationJobNames.TARGET_VERSION_LABEL;
  static final long TTL_SECONDS_AFTER_FINISHED = 24 * 3600;

  @Override
  protected Job desired(InfracastInstallation installation, Context<InfracastInstallation> context) {
    var facts = ReconcileFacts.of(context);
    var plan = facts.migration();
    var labels = new HashMap<>(InstallationLabels.of(installation, "migration"));
    labels.put(TARGET_VERSION_LABEL, plan.targetVersion());
    return new JobBuilder()
        .withMetadata(OwnedMetadata.builder(installation, plan.jobName(), "migration").withLabels(labels).build())
        .withNewSpec()
          .withParallelism(1)
          .withCompletions(1)
          .withBackoffLimit(facts.settings().getMigrationBackoffLimit())
          .withActiveDeadlineSeconds(facts.settings().getMigrationActiveDeadlineSeconds().longValue())
          .withTtlSecondsAfterFinished((int) TTL_SECONDS_AFTER_FINISHED)
          .withNewTemplate()
            .withNewMetadata().withLabels(labels).endMetadata()
            .withSpec(ApiPod.podSpec(installation)
                .withRestartPolicy("Never")
                // A failed migration's error (its last output line) becomes the pod's termination message, which
                // the operator reads into status: the Job's own Failed condition does not say why.
                .withContainers(ApiPod.container(installation, facts, plan.targetVersion(), "migrate")
                    .withTerminationMessagePolicy("FallbackToLogsOnError").build())
                .build())
          .endTemplate()
        .endSpec()
        .build();
  }

  // Owned, so it goes with the installation; but not a Deleter: a finished Job keeps its logs until its TTL.
  @Override
  protected boolean addOwnerReference() {
    return true;
  }

  // Without GarbageCollected JOSDK would map Jobs to installations by annotations; owner references do it here.
  @Override
  public Set<ResourceID> toPrimaryResourceIDs(Job job) {
    return BY_OWNER.toPrimaryResourceIDs(job);
  }
}
