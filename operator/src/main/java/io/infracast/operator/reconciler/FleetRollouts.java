package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.migration.MigrationJobNames;
import io.infracast.operator.migration.MigrationPlan;
import io.infracast.operator.migration.Versions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which installations the cluster shows migrating or rolling out, read from the informer caches of every
 * installation's Jobs and Deployments: what a restarted operator or a new leader counts before it grants a slot.
 */
public final class FleetRollouts {

  private FleetRollouts() {}

  /**
   * Installations in flight, by the limit they count against.
   *
   * @param serving those whose Deployment has an available pod: a rollout puts a serving tenant at risk
   * @param firstInstalls the others: no Deployment yet, or none of its pods available, so nobody is served
   */
  public record InFlight(Set<String> serving, Set<String> firstInstalls) {}

  /** Whether {@code deployment} serves: at least one of its pods is available. */
  public static boolean serves(Deployment deployment) {
    return deployment.getStatus() != null && deployment.getStatus().getAvailableReplicas() != null
        && deployment.getStatus().getAvailableReplicas() > 0;
  }

  /**
   * An installation is in flight while its migration Job runs, while its Deployment rolls, and between the two:
   * when a migration Job completed for a version its Deployment does not run yet, or before its first Deployment.
   */
  public static InFlight inFlight(Stream<Job> jobs, Stream<Deployment> deployments) {
    var inFlight = new HashSet<String>();
    var migratedTo = new HashMap<String, String>();
    jobs.filter(MigrationJobNames::isMigration).forEach(job -> key(job).ifPresent(key -> {
      if (!MigrationPlan.finished(job)) {
        inFlight.add(key);
      } else if (MigrationPlan.completed(job) && Versions.isVersion(MigrationJobNames.targetVersion(job))) {
        migratedTo.merge(key, MigrationJobNames.targetVersion(job), FleetRollouts::newer);
      }
    }));
    var deployed = new HashSet<String>();
    var serving = new HashSet<String>();
    deployments.forEach(deployment -> key(deployment).ifPresent(key -> {
      deployed.add(key);
      if (serves(deployment)) {
        serving.add(key);
      }
      var rollout = DeploymentRollout.of(Optional.of(deployment));
      // Not observed yet may be a replica change; counting it for the milliseconds it lasts is the safe side.
      var unobserved = !rollout.observed();
      if (rollout.inProgress() || unobserved || awaitsNewTemplate(rollout.version(), migratedTo.get(key))) {
        inFlight.add(key);
      }
    }));
    // Migrated for a first install whose Deployment is not created yet: its pods are about to start.
    migratedTo.keySet().stream().filter(key -> !deployed.contains(key)).forEach(inFlight::add);
    var firstInstalls = new HashSet<>(inFlight);
    firstInstalls.removeAll(serving);
    inFlight.retainAll(serving);
    return new InFlight(inFlight, firstInstalls);
  }

  private static boolean awaitsNewTemplate(String deployed, String migrated) {
    return migrated != null && Versions.isVersion(deployed) && Versions.compare(migrated, deployed) > 0;
  }

  private static String newer(String a, String b) {
    return Versions.compare(a, b) >= 0 ? a : b;
  }

  /** The installation key (namespace/name) an owned object belongs to, from its instance label. */
  private static Optional<String> key(HasMetadata owned) {
    Map<String, String> labels = owned.getMetadata().getLabels();
    return Optional.ofNullable(labels).map(l -> l.get(InstallationLabels.INSTANCE))
        .map(instance -> MigrationPlan.key(owned.getMetadata().getNamespace(), instance));
  }
}
