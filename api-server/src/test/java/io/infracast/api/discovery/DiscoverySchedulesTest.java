package io.infracast.api.discovery;

import static io.infracast.api.TestApi.JSON;
import static io.infracast.api.TestApi.message;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery schedules on two service instances sharing one real PostgreSQL 15: each due time makes one job, a
 * schedule missed during downtime fires once, one whose previous job still runs skips, a disabled one waits. Due
 * times are made by moving {@code next_run_at} into the past in the database, so nothing waits for an interval.
 */
class DiscoverySchedulesTest {
  private static final String ADMIN = "root@example.test";
  private static final String PASSWORD = "schedules-password-1";
  private static final String JWT = "schedules-test-secret-0123456789-abcdefghijkl";
  /** Twice the schedulers' poll (2 s) and some: long enough for a second firing to have happened, if any. */
  private static final Duration SETTLE = Duration.ofMillis(5_000);

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  @TempDir
  static Path plugins;
  @TempDir
  static Path runs;
  private static String database;
  private static TestApi first;
  private static TestApi second;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    // Appends its job's id to a file per run: one line per run, whichever instance ran it.
    DiscoveryApiTest.plugin(plugins, "mark", "req=$(cat)\necho \"$req\" | sed 's/.*\"job_id\":\"\\([^\"]*\\)\".*/\\1/' >> "
        + runs + "/runs\n");
    DiscoveryApiTest.plugin(plugins, "slow", "cat >/dev/null\nsleep 306.4242\n");
    database = pg.createDatabase();
    first = serve();
    second = serve();
    admin = first.login(ADMIN, PASSWORD).get("access_token").asText();
    first.createTenants(admin, "acme");
  }

  @AfterAll
  static void stop() {
    for (TestApi api : new TestApi[] {first, second}) {
      if (api != null) {
        api.close();
      }
    }
  }

  private static TestApi serve() {
    return TestApi.start(pg, database, JWT, ADMIN, PASSWORD, Map.of("PLUGIN_DIR", plugins.toString()));
  }

  @Test
  void twoInstancesMakeOneJobPerDueTime() throws Exception {
    JsonNode schedule = create(Map.of("name", "hourly", "plugins", List.of("mark"), "interval_seconds", 3600));
    assertThat(schedule.get("enabled").asBoolean()).isTrue();
    String id = schedule.get("id").asText();
    awaitJobs(id, 1);
    for (int due = 2; due <= 4; due++) {
      setNextRun(id, "now() - interval '1 second'");
      awaitJobs(id, due);
    }
    Thread.sleep(SETTLE.toMillis());
    List<JsonNode> jobs = jobsOf(id);
    assertThat(jobs).hasSize(4);
    for (JsonNode job : jobs) {
      assertThat(DiscoveryApiTest.awaitEnd(first, admin, "acme", job).get("status").asText()).isEqualTo("succeeded");
      assertThat(job.get("created_by").get("type").asText()).isEqualTo("schedule");
    }
    assertThat(Files.readAllLines(runs.resolve("runs"))).as("each job ran once, on one of the two instances")
        .containsAll(jobs.stream().map(j -> j.get("id").asText()).toList())
        .doesNotHaveDuplicates();
    JsonNode after = get(id);
    assertThat(after.get("last_job_id").asText()).isEqualTo(jobs.get(0).get("id").asText());
    assertThat(Instant.parse(after.get("next_run_at").asText())).isAfter(Instant.now().plusSeconds(3500));
    JsonNode audit = JSON.readTree(first.call("GET", "/api/v1/tenants/acme/audit-log?per_page=500", admin, null)
        .body());
    assertThat(audit.get("items").findValuesAsText("action")).contains("schedule.created");
  }

  /**
   * Many schedules due at once and replicas polling every 10 ms besides the two instances: they contend for the
   * same rows, and still each due time makes one job.
   */
  @Test
  void replicasContendingForManyDueSchedulesMakeOneJobPerDueTime() throws Exception {
    for (int i = 0; i < 30; i++) {
      create(Map.of("name", "contended-" + i, "plugins", List.of("mark"), "interval_seconds", 3600,
          "enabled", false));
    }
    List<AutoCloseable> replicas = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        HikariDataSource pool = Pools.create(pg.url(database), "replica-" + i, 4, new SimpleMeterRegistry());
        replicas.add(pool);
        Transactions transactions = new Transactions(pool);
        AuditService audit = new AuditService(transactions);
        DiscoveryService replica = new DiscoveryService(transactions, audit, new AssetsService(transactions, audit),
            plugins, List.of(), () -> true, Optional.empty(),
            WorkerSettings.defaults().withSchedulePoll(Duration.ofMillis(10)));
        replica.start();
        replicas.add(0, replica);
      }
      for (int due = 1; due <= 2; due++) {
        sql("update discovery_schedules set enabled = true, next_run_at = now() where name like 'contended-%'");
        int expected = due;
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
            .until(() -> contendedJobs()[0] >= expected);
        // A schedule whose job still runs would skip the next due time.
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from discovery_jobs where "
            + "status = 'running'") == 0);
      }
      Thread.sleep(SETTLE.toMillis());
      assertThat(contendedJobs()).as("fewest and most jobs of one schedule").containsExactly(2, 2);
    } finally {
      for (AutoCloseable r : replicas) {
        r.close();
      }
      sql("update discovery_schedules set enabled = false where name like 'contended-%'");
    }
  }

  @Test
  void aScheduleMissedForManyIntervalsFiresOnceAndKeepsItsRhythm() throws Exception {
    String id = create(Map.of("name", "every-minute", "plugins", List.of("mark"), "interval_seconds", 60))
        .get("id").asText();
    awaitJobs(id, 1);
    // Down for ten intervals and a bit.
    Instant missed = setNextRun(id, "now() - interval '605 seconds'");
    awaitJobs(id, 2);
    Thread.sleep(SETTLE.toMillis());
    assertThat(jobsOf(id)).hasSize(2);
    Instant next = Instant.parse(get(id).get("next_run_at").asText());
    assertThat(next).isAfter(Instant.now()).isBefore(Instant.now().plusSeconds(61));
    assertThat(Duration.between(missed, next).toSeconds() % 60).as("on its old rhythm").isZero();
  }

  @Test
  void aDueTimeWhileThePreviousJobStillRunsIsSkipped() throws Exception {
    String id = create(Map.of("name", "slow", "plugins", List.of("slow"), "interval_seconds", 60)).get("id").asText();
    awaitJobs(id, 1);
    setNextRun(id, "now() - interval '1 second'");
    await().atMost(Duration.ofSeconds(10)).until(() -> get(id).get("skipped_runs").asInt() == 1);
    assertThat(jobsOf(id)).hasSize(1);
    JsonNode running = jobsOf(id).get(0);
    assertThat(first.call("DELETE", "/api/v1/tenants/acme/jobs/" + running.get("id").asText(), admin, null)
        .statusCode()).isEqualTo(200);
    setNextRun(id, "now() - interval '1 second'");
    awaitJobs(id, 2);
    first.call("DELETE", "/api/v1/tenants/acme/jobs/" + jobsOf(id).get(0).get("id").asText(), admin, null);
  }

  @Test
  void aDisabledScheduleMakesNoJobUntilEnabled() throws Exception {
    Map<String, Object> body = new HashMap<>(Map.of("name", "paused", "plugins", List.of("mark"),
        "interval_seconds", 600, "enabled", false));
    String id = create(body).get("id").asText();
    Thread.sleep(SETTLE.toMillis());
    assertThat(jobsOf(id)).isEmpty();
    body.put("enabled", true);
    body.put("config", Map.of("timeout_seconds", 60));
    HttpResponse<String> replaced = first.call("PUT", "/api/v1/tenants/acme/schedules/" + id, admin, body);
    assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
    assertThat(JSON.readTree(replaced.body()).get("config").get("timeout_seconds").asInt()).isEqualTo(60);
    awaitJobs(id, 1);
    assertThat(jobsOf(id).get(0).get("config").get("timeout_seconds").asInt()).isEqualTo(60);

    assertThat(first.call("DELETE", "/api/v1/tenants/acme/schedules/" + id, admin, null).statusCode())
        .isEqualTo(204);
    assertThat(second.call("GET", "/api/v1/tenants/acme/schedules/" + id, admin, null).statusCode()).isEqualTo(404);
    assertThat(jobsOf(id)).as("its jobs stay").hasSize(1);
  }

  @Test
  void badSchedulesSayWhatIsWrong() throws Exception {
    assertThat(message(post(Map.of("name", "x", "plugins", List.of("mark"), "interval_seconds", 59))))
        .isEqualTo("field 'interval_seconds' must be a whole number from 60 to 2592000");
    assertThat(message(post(Map.of("name", "x", "plugins", List.of("mark")))))
        .isEqualTo("field 'interval_seconds' is required");
    assertThat(message(post(Map.of("name", "x", "plugins", List.of("nmap"), "interval_seconds", 60))))
        .startsWith("unknown plugin 'nmap'");
    assertThat(message(post(Map.of("name", "x", "plugins", List.of("mark"), "interval_seconds", 60,
        "enabled", "yes")))).isEqualTo("field 'enabled' must be true or false");
    assertThat(first.call("GET", "/api/v1/tenants/acme/schedules/not-an-id", admin, null).statusCode())
        .isEqualTo(404);
    assertThat(first.call("PUT", "/api/v1/tenants/acme/schedules/c0ffee00-0000-0000-0000-000000000000", admin,
        Map.of("name", "x", "plugins", List.of("mark"), "interval_seconds", 60)).statusCode()).isEqualTo(404);
  }

  private static HttpResponse<String> post(Map<String, Object> body) throws Exception {
    return first.call("POST", "/api/v1/tenants/acme/schedules", admin, body);
  }

  private static JsonNode create(Map<String, Object> body) throws Exception {
    HttpResponse<String> r = post(body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private static JsonNode get(String id) throws Exception {
    HttpResponse<String> r = second.call("GET", "/api/v1/tenants/acme/schedules/" + id, admin, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** The jobs the schedule made, newest first. */
  private static List<JsonNode> jobsOf(String schedule) throws Exception {
    JsonNode page = JSON.readTree(first.call("GET", "/api/v1/tenants/acme/jobs?per_page=500", admin, null).body());
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode job : page.get("items")) {
      if (job.get("created_by").get("id").asText().equals(schedule)) {
        out.add(job);
      }
    }
    return out;
  }

  private static void awaitJobs(String schedule, int count) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
        .until(() -> jobsOf(schedule).size() >= count);
    try {
      assertThat(jobsOf(schedule)).hasSize(count);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The fewest and the most jobs one of the contended schedules made, counted in the database. */
  private static int[] contendedJobs() throws Exception {
    try (Connection c = pg.connect(database); PreparedStatement st = c.prepareStatement(
        "select min(n), max(n) from (select count(j.id) as n from discovery_schedules s left join discovery_jobs j "
            + "on j.created_by_type = 'schedule' and j.created_by = s.id::text where s.name like 'contended-%' "
            + "group by s.id) x"); ResultSet rs = st.executeQuery()) {
      rs.next();
      return new int[] {rs.getInt(1), rs.getInt(2)};
    }
  }

  private static long count(String query) throws Exception {
    try (Connection c = pg.connect(database); PreparedStatement st = c.prepareStatement(query);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = pg.connect(database); PreparedStatement st = c.prepareStatement(statement)) {
      st.executeUpdate();
    }
  }

  /** Moves the schedule's next run (an SQL expression) in the database, as time passing would; answers it. */
  private static Instant setNextRun(String schedule, String when) throws Exception {
    try (Connection c = pg.connect(database); PreparedStatement st = c.prepareStatement(
        "update discovery_schedules set next_run_at = " + when + " where id = ?::uuid returning next_run_at")) {
      st.setString(1, schedule);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getTimestamp(1).toInstant();
      }
    }
  }
}
