package io.infracast.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Embedded mode (no DATABASE_URL) after {@code kill -9}: PostgreSQL, a daemon of its own, outlives the service;
 * the next start stops it and serves. Also when the postmaster died too and its pid now belongs to another
 * program (a reboot, a reused pid). Real processes, really SIGKILLed, as a non-root user.
 */
class EmbeddedRecoveryTest {
  private final Path dataDir = ServiceProcess.unprivilegedFolder("embedded-recovery-");
  private final List<ServiceProcess> started = new ArrayList<>();
  private final List<ProcessHandle> strays = new ArrayList<>();

  /** SIGTERM, so that the last service stops its PostgreSQL; anything still running in the folder is killed. */
  @AfterEach
  void cleanUp() throws Exception {
    for (ServiceProcess service : started) {
      if (service.isAlive()) {
        service.terminate();
        service.awaitExit(Duration.ofSeconds(60));
      }
    }
    if (Files.exists(dataDir.resolve("postgres/postmaster.pid"))) {
      postmaster();
    }
    strays.forEach(ProcessHandle::destroyForcibly);
    ServiceProcess.deleteTree(dataDir);
  }

  private ServiceProcess serve() {
    int port = TestPostgres.freeTcpPort();
    ServiceProcess service = ServiceProcess.startUnprivileged(Main.class,
        Map.of("DATA_DIR", dataDir.toString(), "API_PORT", Integer.toString(port)), "serve");
    started.add(service);
    service.awaitHealthy(port, Duration.ofSeconds(120));
    return service;
  }

  /** The running postmaster of the data folder (remembered, to be killed should a test fail half-way). */
  private Optional<ProcessHandle> postmaster() throws Exception {
    long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
    Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
    postmaster.ifPresent(strays::add);
    return postmaster;
  }

  private static void killMinus9(ServiceProcess service) {
    service.kill();
    assertThat(service.awaitExit(Duration.ofSeconds(30))).isEqualTo(128 + 9);
  }

  @Test
  void theNextStartStopsThePostgresAKilledRunLeftBehind() throws Exception {
    ServiceProcess first = serve();
    ProcessHandle orphan = postmaster().orElseThrow();
    killMinus9(first);
    Thread.sleep(500);
    assertThat(orphan.isAlive()).as("PostgreSQL outlives kill -9 of the service").isTrue();

    ServiceProcess second = serve();
    assertThat(orphan.isAlive()).isFalse();
    assertThat(second.stdout()).anyMatch(l -> l.contains("of a previous run that did not stop cleanly is still running")
        && l.contains("(pid " + orphan.pid() + ")") && l.contains("\"level\":\"WARN\""));
    assertThat(second.stdout()).anyMatch(l -> l.contains("stopped the embedded PostgreSQL left running by a previous "
        + "run (pid " + orphan.pid() + ")"));
    assertThat(second.allOutput()).doesNotContain("\tat ");

    // A live service is not an orphan's owner: a second one on the same folder is refused, the first unharmed.
    ServiceProcess intruder = ServiceProcess.startUnprivileged(Main.class,
        Map.of("DATA_DIR", dataDir.toString(), "API_PORT", Integer.toString(TestPostgres.freeTcpPort())), "serve");
    started.add(intruder);
    assertThat(intruder.awaitExit(Duration.ofSeconds(60))).isEqualTo(Main.EXIT_FAILURE);
    assertThat(intruder.stderr()).singleElement().asString().startsWith("infracast-api: startup failed: embedded "
        + "PostgreSQL failed to start under " + dataDir.resolve("postgres") + ": another infracast-api process uses it");
    assertThat(second.isAlive()).isTrue();
    assertThat(postmaster()).isPresent();
  }

  @Test
  void aStalePostmasterPidWhoseProcessIsAnotherProgramIsRemoved() throws Exception {
    ServiceProcess first = serve();
    ProcessHandle postmaster = postmaster().orElseThrow();
    List<ProcessHandle> children = postmaster.descendants().toList();
    killMinus9(first);
    // The machine went down: the postmaster and its children are gone, the pid in postmaster.pid lives on in
    // an unrelated program of the same user.
    postmaster.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    postmaster.onExit().get(10, TimeUnit.SECONDS);
    for (ProcessHandle child : children) {
      child.onExit().get(10, TimeUnit.SECONDS);
    }
    ServiceProcess unrelated = ServiceProcess.startUnprivileged(SleepMain.class, Map.of());
    started.add(unrelated);
    Path pidFile = dataDir.resolve("postgres/postmaster.pid");
    List<String> lines = new ArrayList<>(Files.readAllLines(pidFile));
    lines.set(0, Long.toString(unrelated.pid()));
    Files.write(pidFile, lines);

    ServiceProcess second = serve();
    assertThat(unrelated.isAlive()).as("an unrelated program is never stopped").isTrue();
    assertThat(second.stdout()).anyMatch(l -> l.contains("removed a stale") && l.contains("postmaster.pid"));
    assertThat(postmaster().orElseThrow().pid()).isNotEqualTo(unrelated.pid());
  }

  /** A program that is not PostgreSQL, to hold a pid. */
  public static final class SleepMain {
    private SleepMain() {}

    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(120_000);
    }
  }
}
