package io.infracast.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.dependent.MigrationJobDependentResource;
import io.infracast.operator.migration.MigrationPlan;
import io.infracast.operator.reconciler.FleetRollouts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches a fleet while faults happen and records every moment an invariant of the operator breaks: never two
 * migration Jobs unfinished at once for one installation, never a Job nobody asked for (a version not asked, or
 * one name created twice), never more installations migrating or rolling out than the cap (counted apart for
 * installations that serve and for first installs, each kind having its own limit), never a Deployment or
 * HPA deleted or scaled to zero while its installation exists, never a write to an installation's spec.
 */
public final class FleetInvariants implements AutoCloseable {

  private final int cap;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  /** Installation name to the versions the test asked for. */
  private final Map<String, Set<String>> asked = new ConcurrentHashMap<>();
  /** Installation name to the generation its spec has after the test's last edit. */
  private final Map<String, Long> generations = new ConcurrentHashMap<>();
  private final Map<String, String> jobUids = new ConcurrentHashMap<>();
  private final Set<String> deletedInstallations = ConcurrentHashMap.newKeySet();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final SharedIndexInformer<Job> jobs;
  private final SharedIndexInformer<Deployment> deployments;
  private int mostInFlight;

  public FleetInvariants(KubernetesClient client, String namespace, int cap) {
    this.cap = cap;
    jobs = client.batch().v1().jobs().inNamespace(namespace).withLabel(InstallationLabels.COMPONENT, "migration")
        .inform(EveryVersion.handler(this::jobSeen, job -> { }));
    deployments = client.apps().deployments().inNamespace(namespace)
        .withLabel(InstallationLabels.MANAGED_BY, InstallationLabels.OPERATOR_NAME)
        .inform(EveryVersion.handler(this::deploymentSeen, this::workloadDeleted));
    informers.addAll(List.of(jobs, deployments,
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace)
            .inform(EveryVersion.handler(this::autoscalerSeen, this::workloadDeleted)),
        client.resources(InfracastInstallation.class).inNamespace(namespace)
            .inform(EveryVersion.handler(this::installationSeen, i -> { }))));
  }

  /**
   * Call before the test creates an installation at {@code version} or changes its spec to it.
   *
   * @param generation the generation its spec has once the test's write is done
   */
  public void asking(String name, String version, long generation) {
    asked.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(version);
    generations.merge(name, generation, Math::max);
  }

  /** Call before the test deletes an installation: its objects may go then. */
  public void deleting(String name) {
    deletedInstallations.add(name);
  }

  public List<String> violations() {
    return List.copyOf(violations);
  }

  public synchronized int mostInFlight() {
    return mostInFlight;
  }

  private void violated(String what) {
    violations.add(Instant.now() + " " + what);
  }

  private void jobSeen(Job job) {
    var name = job.getMetadata().getName();
    var installation = instance(job);
    var version = job.getMetadata().getLabels().get(MigrationJobDependentResource.TARGET_VERSION_LABEL);
    var firstUid = jobUids.putIfAbsent(name, job.getMetadata().getUid());
    if (firstUid != null && !firstUid.equals(job.getMetadata().getUid())) {
      violated("Job " + name + " was created a second time");
    }
    if (!asked.getOrDefault(installation, Set.of()).contains(version)) {
      violated("Job " + name + " migrates " + installation + " to " + version + ", which nobody asked for");
    }
    var unfinished = jobs.getStore().list().stream()
        .filter(j -> installation.equals(instance(j)) && !MigrationPlan.finished(j)).count();
    if (unfinished > 1) {
      violated(unfinished + " migration Jobs unfinished at once for " + installation);
    }
    checkCap();
  }

  private void deploymentSeen(Deployment deployment) {
    if (Objects.equals(deployment.getSpec().getReplicas(), 0)) {
      violated("Deployment " + deployment.getMetadata().getName() + " scaled to zero");
    }
    checkCap();
  }

  private void autoscalerSeen(HorizontalPodAutoscaler autoscaler) {
    if (Objects.equals(autoscaler.getSpec().getMinReplicas(), 0)) {
      violated("HPA " + autoscaler.getMetadata().getName() + " allows zero replicas");
    }
  }

  private void workloadDeleted(HasMetadata object) {
    if (!deletedInstallations.contains(instance(object))) {
      violated(object.getKind() + " " + object.getMetadata().getName() + " deleted while its installation exists");
    }
  }

  private void installationSeen(InfracastInstallation installation) {
    var name = installation.getMetadata().getName();
    var expected = generations.get(name);
    if (expected == null || installation.getMetadata().getGeneration() > expected) {
      violated("the spec of " + name + " was written by someone other than the test (generation "
          + installation.getMetadata().getGeneration() + ", the test's last write made " + expected + ")");
    }
  }

  /**
   * Installations with an unfinished migration Job or a Deployment whose new generation is not rolled out: those
   * that serve (an available pod) at most the cap, and first installs at most the cap as well.
   */
  private synchronized void checkCap() {
    var inFlight = new HashSet<String>();
    jobs.getStore().list().stream().filter(j -> !MigrationPlan.finished(j)).map(FleetInvariants::instance)
        .forEach(inFlight::add);
    deployments.getStore().list().stream().filter(d -> d.getStatus() == null
            || !Objects.equals(d.getStatus().getObservedGeneration(), d.getMetadata().getGeneration()))
        .map(FleetInvariants::instance).forEach(inFlight::add);
    var firstInstalls = new HashSet<>(inFlight);
    deployments.getStore().list().stream().filter(FleetRollouts::serves).map(FleetInvariants::instance)
        .forEach(firstInstalls::remove);
    inFlight.removeAll(firstInstalls);
    mostInFlight = Math.max(mostInFlight, inFlight.size());
    if (inFlight.size() > cap) {
      violated(inFlight.size() + " installations that serve migrating or rolling out at once, more than the cap of "
          + cap + ": " + inFlight);
    }
    if (firstInstalls.size() > cap) {
      violated(firstInstalls.size() + " first installs migrating or rolling out at once, more than the cap of "
          + cap + ": " + firstInstalls);
    }
  }

  private static String instance(HasMetadata object) {
    return object.getMetadata().getLabels().get(InstallationLabels.INSTANCE);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
