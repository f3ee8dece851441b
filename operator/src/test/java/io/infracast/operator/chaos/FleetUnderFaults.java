package io.infracast.operator.chaos;

import static io.infracast.operator.testing.Installations.databaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.testing.FakeDeploymentController;
import io.infracast.operator.testing.FakeJobController;
import io.infracast.operator.testing.FleetInvariants;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorProcess;
import io.infracast.operator.testing.RealApiServer;
import java.io.IOException;
import org.awaitility.core.ConditionTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A fleet upgrading version after version under a fault the caller causes, with the packaged operator run as
 * separate processes and {@link FleetInvariants} watching every moment. Each installation moves to the next
 * version once it serves its current one, until {@link #finish()}; then every installation must serve the last
 * version it was asked for, with no invariant ever broken. On failure it prints what a person needs: the seed,
 * the broken invariants, each installation's status and the last operator's log.
 */
final class FleetUnderFaults implements AutoCloseable {

  static final int CAP = 5;

  private final KubernetesClient client = RealApiServer.newClient();
  private final String namespace;
  private final long seed;
  private final Path logs;
  private final List<String> names;
  private final List<OperatorProcess> started = new ArrayList<>();
  private final AtomicInteger upgrades = new AtomicInteger();
  private final long startedAt = System.nanoTime();
  private final FleetInvariants invariants;
  private final FakeDeploymentController deployments;
  private final FakeJobController jobs;
  private final Thread driver;
  private volatile boolean upgrading = true;

  FleetUnderFaults(String namespace, int installations, long seed) {
    this.namespace = namespace;
    this.seed = seed;
    this.logs = Path.of("target", "chaos", namespace + "-" + seed);
    System.out.printf("chaos: %s with seed %d and %d installations (replay with -Dchaos.seed=%d)%n", namespace,
        seed, installations, seed);
    RealApiServer.applyCrd(client, RealApiServer.COMMITTED_CRD);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    invariants = new FleetInvariants(client, namespace, CAP);
    deployments = new FakeDeploymentController(client, namespace);
    jobs = new FakeJobController(client, namespace);
    jobs.runFor(Duration.ofMillis(300), Duration.ofMillis(2500), new Random(seed + 1));
    names = IntStream.rangeClosed(1, installations).mapToObj(i -> "tenant-" + i).toList();
    for (var name : names) {
      client.resource(databaseSecret(namespace, name)).serverSideApply();
      invariants.asking(name, "1.0.0", 1);
      var installation = Installations.development(namespace, name);
      installation.getSpec().setVersion("1.0.0");
      client.resource(installation).create();
    }
    driver = new Thread(this::upgradeUntilFinished, "upgrade-driver");
    driver.start();
  }

  /** Starts one more operator replica: leader election on, short leases, rechecks and resyncs as shipped. */
  void startReplica() throws IOException {
    started.add(OperatorProcess.start(Map.of(
        "WATCH_NAMESPACES", namespace,
        "LEADER_ELECTION", "true",
        "LEASE_NAMESPACE", namespace,
        "LEASE_DURATION_SECONDS", "4",
        "LEASE_RENEW_DEADLINE_SECONDS", "3",
        "LEASE_RETRY_PERIOD_SECONDS", "1",
        "MAX_CONCURRENT_ROLLOUTS", String.valueOf(CAP),
        "MAX_CONCURRENT_FIRST_INSTALLS", String.valueOf(CAP),
        "MANAGEMENT_PORT", "0"), logs.resolve("operator-" + (started.size() + 1) + ".log")));
  }

  /** What Kubernetes does for a container that exited: starts it again. */
  void restartIfExited() throws IOException {
    if (live().isEmpty()) {
      System.out.println("chaos: no operator runs (the last one exited): starting one, as Kubernetes would");
      startReplica();
    }
  }

  List<OperatorProcess> live() {
    return started.stream().filter(OperatorProcess::alive).toList();
  }

  int upgrades() {
    return upgrades.get();
  }

  /** Operator processes started so far, and of those killed (by the caller) so far. */
  String processes() {
    return started.size() + " operator processes, " + (started.size() - live().size()) + " of them killed or exited";
  }

  int killed() {
    return started.size() - live().size();
  }

  /** Stops asking for upgrades; then every installation serves its last version, no invariant broken. */
  void finish() throws Exception {
    upgrading = false;
    driver.join();
    restartIfExited();
    try {
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> assertThat(names).allSatisfy(name -> {
            var status = get(name).getStatus();
            var version = get(name).getSpec().getVersion();
            assertThat(status).isNotNull();
            assertThat(status.getPhase()).isEqualTo(Phase.Ready);
            assertThat(status.getSchemaVersion()).isEqualTo(version);
            assertThat(status.getVersion()).isEqualTo(version);
          }));
      assertThat(invariants.violations()).as("invariants broken (seed %d)", seed).isEmpty();
    } catch (AssertionError | ConditionTimeoutException e) {
      report();
      throw e;
    }
    System.out.printf("chaos: %s with seed %d: %s, %d upgrades, at most %d of %d installations in flight at"
            + " once, %d s%n", namespace, seed, processes(), upgrades(), invariants.mostInFlight(), CAP,
        Duration.ofNanos(System.nanoTime() - startedAt).toSeconds());
  }

  private void upgradeUntilFinished() {
    while (upgrading) {
      for (var name : names) {
        try {
          upgradeIfServing(name);
        } catch (RuntimeException apiServerDown) {
          // During an outage nothing can be asked; the next round tries again.
        }
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void upgradeIfServing(String name) {
    var installation = get(name);
    var status = installation.getStatus();
    var version = installation.getSpec().getVersion();
    if (status != null && status.getPhase() == Phase.Ready && version.equals(status.getVersion())) {
      var next = "1." + (Integer.parseInt(version.split("\\.")[1]) + 1) + ".0";
      invariants.asking(name, next, installation.getMetadata().getGeneration() + 1);
      client.resources(InfracastInstallation.class).inNamespace(namespace).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"version\":\"" + next + "\"}}");
      upgrades.incrementAndGet();
    }
  }

  private InfracastInstallation get(String name) {
    return client.resources(InfracastInstallation.class).inNamespace(namespace).withName(name).get();
  }

  private void report() throws IOException {
    System.out.println("chaos: FAILED with seed " + seed + "; every operator's log is in " + logs.toAbsolutePath());
    invariants.violations().forEach(v -> System.out.println("chaos: violation: " + v));
    for (var name : names) {
      var installation = get(name);
      System.out.println("chaos: " + name + " spec " + installation.getSpec().getVersion() + " status "
          + installation.getStatus());
    }
    if (!started.isEmpty()) {
      var last = started.get(started.size() - 1);
      System.out.println("chaos: the last operator's log (" + last.log() + "):");
      last.tail(60).forEach(System.out::println);
    }
  }

  @Override
  public void close() {
    upgrading = false;
    started.forEach(operator -> operator.process().destroyForcibly());
    jobs.close();
    deployments.close();
    invariants.close();
    client.close();
  }
}
