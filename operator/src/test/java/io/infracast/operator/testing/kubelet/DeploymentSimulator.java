package io.infracast.operator.testing.kubelet;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infracast.operator.ShortHash;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Deployment controller, ReplicaSets and kubelet for one Deployment: {@code spec.replicas} pods of the
 * current template (a template is identified by a hash of its spec, like pod-template-hash), a RollingUpdate
 * within maxSurge/maxUnavailable (a Recreate strategy stops old pods first), restarts of exited pods with a
 * backoff, and the status the real controller computes.
 */
final class DeploymentSimulator extends Simulated<Deployment> {
  private static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(10);

  private final List<PodProcess> pods = new CopyOnWriteArrayList<>();
  /** Stopping pods: Recreate waits for them to be gone before starting the new template. */
  private final List<PodProcess> terminating = new ArrayList<>();
  /** Per pod: when an exited container may start again, and the current backoff (the kubelet's CrashLoopBackOff). */
  private final Map<PodProcess, Instant> restartAt = new HashMap<>();
  private final Map<PodProcess, Duration> backoff = new HashMap<>();
  private String lastCounts = "";
  private Instant lastProgress = Instant.now();

  DeploymentSimulator(LocalKubelet kubelet, Deployment d) {
    super(kubelet, d);
  }

  List<LocalKubelet.PodInfo> pods() {
    return pods.stream().map(PodProcess::info).toList();
  }

  /** The Deployment is gone: its ReplicaSets and pods go with it. */
  void deleted() {
    pods.forEach(kubelet::stopAsync);
    pods.clear();
  }

  void tick() {
    Deployment d = latest;
    String template = templateHash(d.getSpec().getTemplate());
    int desired = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
    int minReady = Objects.requireNonNullElse(d.getSpec().getMinReadySeconds(), 0);
    runContainers();
    pods.forEach(p -> p.probe(kubelet.http));
    scale(d, template, desired, minReady);
    writeStatus(d, template, desired, minReady);
  }

  /** The kubelet part: start pods, restart exited containers after a growing backoff. */
  private void runContainers() {
    Instant now = Instant.now();
    for (PodProcess p : pods) {
      if (p.alive()) {
        if (p.ready()) {
          backoff.remove(p); // it ran well: the next crash starts from the short backoff again
        }
        continue;
      }
      if (p.started() && !restartAt.containsKey(p)) {
        kubelet.sink.emit(p, LocalKubelet.PodEvent.Type.EXITED, p.exitCode().map(c -> "exit " + c).orElse(null)
            + ": " + p.lastLine());
        Duration next = backoff.getOrDefault(p, Duration.ofMillis(500)).multipliedBy(2);
        next = next.compareTo(MAX_RESTART_BACKOFF) > 0 ? MAX_RESTART_BACKOFF : next;
        backoff.put(p, next);
        restartAt.put(p, now.plus(next));
        continue;
      }
      if (!restartAt.getOrDefault(p, Instant.MIN).isAfter(now)) {
        boolean wasStarted = p.started();
        if (p.start(kubelet.env)) {
          if (wasStarted) {
            p.restarted();
          }
          restartAt.remove(p);
        } else {
          restartAt.put(p, now.plusSeconds(2)); // config error: the kubelet retries on its next sync
        }
      }
    }
  }

  /** The Deployment and ReplicaSet controllers' part: how many pods of which template. */
  private void scale(Deployment d, String template, int desired, int minReady) {
    List<PodProcess> current = pods.stream().filter(p -> p.template.equals(template)).toList();
    List<PodProcess> old = pods.stream().filter(p -> !p.template.equals(template)).toList();
    terminating.removeIf(p -> !p.alive() && p.stopping());
    if (recreate(d)) {
      old.forEach(this::stop);
      if (terminating.isEmpty()) {
        for (int i = current.size(); i < desired; i++) {
          add(d, template);
        }
      }
    } else {
      int maxSurge = resolve(rolling(d).map(RollingUpdateDeployment::getMaxSurge), desired, true);
      int maxUnavailable = maxUnavailable(d, desired);
      for (int n = current.size(); n < desired && pods.size() < desired + maxSurge; n++) {
        add(d, template);
      }
      // Old pods go, not-ready ones first, only while enough pods stay available (maxUnavailable).
      List<PodProcess> byReadiness = new ArrayList<>(old);
      byReadiness.sort(Comparator.comparing(p -> p.available(minReady)));
      for (PodProcess p : byReadiness) {
        long available = pods.stream().filter(x -> x.available(minReady)).count();
        long after = available - (p.available(minReady) ? 1 : 0);
        if (after >= desired - maxUnavailable) {
          stop(p);
        }
      }
    }
    // Scaled down: surplus pods of the current template go, not-ready ones first.
    List<PodProcess> surplus = new ArrayList<>(pods.stream().filter(p -> p.template.equals(template)).toList());
    surplus.sort(Comparator.comparing(p -> p.available(minReady)));
    for (int i = 0; i < surplus.size() - desired; i++) {
      stop(surplus.get(i));
    }
  }

  private static boolean recreate(Deployment d) {
    return d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
  }

  /** As the controller's MaxUnavailable: with both surge and unavailable at 0 it still allows 1. */
  private static int maxUnavailable(Deployment d, int desired) {
    int surge = resolve(rolling(d).map(RollingUpdateDeployment::getMaxSurge), desired, true);
    int unavailable = resolve(rolling(d).map(RollingUpdateDeployment::getMaxUnavailable), desired, false);
    return surge == 0 && unavailable == 0 ? 1 : Math.min(unavailable, desired);
  }

  private static Optional<RollingUpdateDeployment> rolling(Deployment d) {
    return Optional.ofNullable(d.getSpec().getStrategy()).map(s -> s.getRollingUpdate());
  }

  /** An int or a percentage of replicas: surge rounds up, unavailable rounds down (default 25% each). */
  private static int resolve(Optional<IntOrString> value, int replicas, boolean roundUp) {
    IntOrString v = value.orElse(new IntOrString("25%"));
    if (v.getIntVal() != null) {
      return v.getIntVal();
    }
    double percent = Double.parseDouble(v.getStrVal().replace("%", "")) * replicas / 100.0;
    return (int) (roundUp ? Math.ceil(percent) : Math.floor(percent));
  }

  private void add(Deployment d, String template) {
    PodTemplateSpec t = d.getSpec().getTemplate();
    String podName = name + "-" + template + "-" + UUID.randomUUID().toString().substring(0, 5);
    Map<String, String> meta = Simulated.podFields(t);
    PodProcess p = new PodProcess(namespace, podName, name, template, t.getSpec().getContainers().get(0), meta,
        kubelet.builds, kubelet.workDir, kubelet.sink);
    pods.add(p);
    if (!p.start(kubelet.env)) {
      restartAt.put(p, Instant.now().plusSeconds(2));
    }
  }

  /** A terminating pod no longer counts in any replica number (as the ReplicaSet controller ignores it). */
  private void stop(PodProcess p) {
    pods.remove(p);
    terminating.add(p);
    restartAt.remove(p);
    backoff.remove(p);
    kubelet.stopAsync(p);
  }

  private void writeStatus(Deployment d, String template, int desired, int minReady) {
    int replicas = pods.size();
    int updated = (int) pods.stream().filter(p -> p.template.equals(template)).count();
    int ready = (int) pods.stream().filter(PodProcess::ready).count();
    int available = (int) pods.stream().filter(p -> p.available(minReady)).count();
    int maxUnavailable = recreate(d) ? 0 : maxUnavailable(d, desired);
    Instant now = Instant.now();
    String counts = replicas + "/" + updated + "/" + ready + "/" + available + "/" + template;
    if (!counts.equals(lastCounts)) {
      lastCounts = counts;
      lastProgress = now;
    }
    String rs = "ReplicaSet \"" + name + "-" + template + "\"";
    boolean complete = updated == desired && replicas == desired && available == desired;
    int deadline = Objects.requireNonNullElse(d.getSpec().getProgressDeadlineSeconds(), 600);

    DeploymentStatus old = Objects.requireNonNullElse(d.getStatus(), new DeploymentStatus());
    List<DeploymentCondition> conditions = new ArrayList<>();
    conditions.add(available >= desired - maxUnavailable
        ? condition(old, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
        : condition(old, "Available", "False", "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.", now));
    conditions.add(complete
        ? condition(old, "Progressing", "True", "NewReplicaSetAvailable", rs + " has successfully progressed.", now)
        : lastProgress.plusSeconds(deadline).isBefore(now)
            ? condition(old, "Progressing", "False", "ProgressDeadlineExceeded", rs + " has timed out progressing.", now)
            : condition(old, "Progressing", "True", "ReplicaSetUpdated", rs + " is progressing.", now));
    DeploymentStatus status = new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(replicas).withUpdatedReplicas(updated).withReadyReplicas(ready)
        .withAvailableReplicas(available).withUnavailableReplicas(Math.max(0, desired - available))
        .withCollisionCount(old.getCollisionCount())
        .withConditions(conditions)
        .build();
    if (same(old, status)) {
      return;
    }
    try {
      LocalKubelet.log.debug("deployment {} status: replicas {}, updated {}, ready {}, available {}, generation {}",
          key(), replicas, updated, ready, available, status.getObservedGeneration());
      kubelet.client.resource(new DeploymentBuilder(d).withStatus(status).build()).updateStatus();
    } catch (KubernetesClientException e) {
      // 409: the informer has not seen our last write or a spec change yet; the next tick writes again.
      // 404: deleted meanwhile; the informer's delete event follows.
    }
  }

  /** Keeps the transition time while the status stays, and the update time while the reason stays. */
  private static DeploymentCondition condition(DeploymentStatus old, String type, String status, String reason,
      String message, Instant now) {
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    DeploymentCondition previous = Objects.requireNonNullElse(old.getConditions(), List.<DeploymentCondition>of())
        .stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    String transition = previous != null && status.equals(previous.getStatus()) ? previous.getLastTransitionTime()
        : time;
    String update = previous != null && status.equals(previous.getStatus()) && reason.equals(previous.getReason())
        && message.equals(previous.getMessage()) ? previous.getLastUpdateTime() : time;
    return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime(transition).withLastUpdateTime(update).build();
  }

  /** Equal as the API server stores it (zero counts are omitted there). */
  private static boolean same(DeploymentStatus a, DeploymentStatus b) {
    return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && zero(a.getReplicas()) == zero(b.getReplicas())
        && zero(a.getUpdatedReplicas()) == zero(b.getUpdatedReplicas())
        && zero(a.getReadyReplicas()) == zero(b.getReadyReplicas())
        && zero(a.getAvailableReplicas()) == zero(b.getAvailableReplicas())
        && zero(a.getUnavailableReplicas()) == zero(b.getUnavailableReplicas())
        && Objects.equals(a.getConditions(), b.getConditions());
  }

  private static int zero(Integer i) {
    return i == null ? 0 : i;
  }

  /** A short hash of the pod template, the role of the ReplicaSet's pod-template-hash. */
  private String templateHash(PodTemplateSpec template) {
    return ShortHash.of(kubelet.client.getKubernetesSerialization().asJson(template), 5);
  }
}
