package io.infracast.api.discovery;

import static io.infracast.api.TestApi.JSON;
import static io.infracast.api.discovery.DiscoveryApiTest.processesWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import io.infracast.api.assets.AssetsService;
import io.infracast.api.audit.AuditService;
import io.infracast.api.discovery.internal.WorkerSettings;
import io.infracast.api.platform.db.Pools;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.security.AuthContext;
import io.infracast.api.platform.security.Caller;
import io.infracast.api.platform.security.Role;
import io.infracast.api.platform.security.TenantAccess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that dies mid-job, played by a worker whose database connections are closed under it (it can no
 * longer renew its lease): it kills its plugin once its lease has run out, and another replica's worker runs the
 * job again, or fails it with the reason once it has no attempts left. Never stuck in running.
 */
class JobRecoveryTest {
  private static final String PASSWORD = "recovery-password-1";
  private static final Duration LEASE = Duration.ofMillis(1_500);

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  @TempDir
  static Path plugins;
  private static String database;
  private static AuthContext auth;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<String> completed = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Path marker = plugins.resolve("started-once");
    DiscoveryApiTest.plugin(plugins, "once", "cat >/dev/null\nif [ ! -e " + marker + " ]; then touch " + marker + "; sleep 303.4242; fi\n"
        + "echo '{\"node\":{\"id\":\"aws:us-east-1:aws.s3.bucket:rescued\"}}'\n");
    DiscoveryApiTest.plugin(plugins, "hang", "sleep 304.4242\n");
    Path handedBack = plugins.resolve("handed-back");
    DiscoveryApiTest.plugin(plugins, "handback", "cat >/dev/null\nif [ ! -e " + handedBack + " ]; then touch "
        + handedBack + "; sleep 305.4242; fi\n");
    database = pg.createDatabase();
    // The HTTP service only sets the database up (tenant, admin); the workers under test run without it.
    try (TestApi api = TestApi.start(pg, database, "recovery-test-secret-0123456789-abcdefghijkl", "root@example.test",
        PASSWORD, Map.of("PLUGIN_DIR", plugins.toString()))) {
      String admin = api.login("root@example.test", PASSWORD).get("access_token").asText();
      JsonNode tenant = JSON.readTree(api.call("POST", "/api/v1/tenants", admin, Map.of("slug", "acme", "name", "acme"))
          .body());
      UUID adminId = UUID.fromString(JSON.readTree(api.call("GET", "/api/v1/me", admin, null).body()).get("id")
          .asText());
      auth = new AuthContext(new Caller(Caller.Kind.USER, adminId, true), Optional.of(new TenantAccess(
          UUID.fromString(tenant.get("id").asText()), "acme", Role.SYSTEM_ADMIN)));
    }
  }

  @AfterEach
  void closeWorkers() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  @Test
  void anotherReplicaRunsTheJobAgainOnceTheDeadOnesLeaseHasRunOut() throws Exception {
    Victim victim = runOnVictim("once", "303.4242", 2);
    Job job = victim.job();

    DiscoveryService rescuer = replica(pool("rescuer"), 2);
    Thread.sleep(LEASE.multipliedBy(2).toMillis());
    assertThat(rescuer.job(auth, job.id()).attempts()).as("the live replica's lease holds").isEqualTo(1);

    victim.pool().close();
    await().atMost(LEASE.multipliedBy(3)).until(() -> processesWith("303.4242").isEmpty());
    Job done = awaitEnd(rescuer, job.id());
    assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.nodes()).isEqualTo(1);
    assertThat(rescuer.log(auth, job.id(), 0, 100)).extracting(JobLogLine::message).contains(
        "worker " + victim.service().workerId() + " stopped renewing its lease on this job",
        "worker " + rescuer.workerId() + " runs the job (attempt 2 of 2)");
    assertThat(completed).containsExactly(job.id() + " succeeded");
  }

  @Test
  void aJobLostOnItsLastAttemptFailsWithTheReason() throws Exception {
    Victim victim = runOnVictim("hang", "304.4242", 1);
    victim.pool().close();
    DiscoveryService rescuer = replica(pool("rescuer"), 1);
    Job done = awaitEnd(rescuer, victim.job().id());
    assertThat(done.status()).isEqualTo(JobStatus.FAILED);
    assertThat(done.error()).isEqualTo("the replica running it (" + victim.service().workerId() + ") stopped before it "
        + "finished, 1 time(s); not retried");
    await("the lost replica killed its plugin").atMost(Duration.ofSeconds(3))
        .until(() -> processesWith("304.4242").isEmpty());
    assertThat(rescuer.log(auth, victim.job().id(), 0, 100)).extracting(JobLogLine::message)
        .contains("failed: " + done.error());
    assertThat(completed).containsExactly(victim.job().id() + " failed");
  }

  @Test
  void aStoppingReplicaHandsItsJobBackAtOnce() throws Exception {
    Victim stopping = runOnVictim("handback", "305.4242", 2);
    stopping.service().close();
    await("the stopping replica killed its plugin").atMost(Duration.ofSeconds(3))
        .until(() -> processesWith("305.4242").isEmpty());
    DiscoveryService other = replica(pool("rescuer"), 2);
    Job done = awaitEnd(other, stopping.job().id());
    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(done.attempts()).as("a job handed back is not a lost attempt").isEqualTo(1);
    assertThat(other.log(auth, done.id(), 0, 100)).extracting(JobLogLine::message).anyMatch(m -> m.startsWith(
        "this replica is stopping (the job is handed back to run again): stopping the plugin's "));
  }

  /** The replica that dies: its pool (close it to cut it off the database), its service, the job it runs. */
  private record Victim(HikariDataSource pool, DiscoveryService service, Job job) {}

  /** Creates a job on a replica of its own and waits until the plugin runs (its command line has the marker). */
  private Victim runOnVictim(String plugin, String marker, int maxAttempts) {
    HikariDataSource pool = pool("victim");
    DiscoveryService service = replica(pool, maxAttempts);
    Job job = service.create(auth, plugin, List.of(plugin), JSON.createObjectNode(), Optional.empty());
    await().atMost(Duration.ofSeconds(10)).until(() -> !processesWith(marker).isEmpty());
    return new Victim(pool, service, job);
  }

  private HikariDataSource pool(String name) {
    HikariDataSource pool = Pools.create(pg.url(database), name, 4, new SimpleMeterRegistry());
    closing.add(pool);
    return pool;
  }

  /** A replica's discovery domain (no HTTP) with a short lease, telling this test when jobs end. */
  private DiscoveryService replica(HikariDataSource pool, int maxAttempts) {
    Transactions transactions = new Transactions(pool);
    AuditService audit = new AuditService(transactions);
    DiscoveryService service = new DiscoveryService(transactions, audit, new AssetsService(transactions, audit),
        plugins, List.of((tenant, job, status) -> completed.add(job + " " + status.wire())), () -> true,
        Optional.empty(), WorkerSettings.defaults().withLease(LEASE, maxAttempts));
    service.start();
    closing.add(0, service);
    return service;
  }

  private static Job awaitEnd(DiscoveryService service, UUID id) {
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
        .until(() -> service.job(auth, id).status() != JobStatus.RUNNING);
    return service.job(auth, id);
  }
}
