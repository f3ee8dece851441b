package io.infracast.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.infracast.api.platform.db.Migrator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The one-shot {@code migrate} command, as real processes against a real PostgreSQL 15. */
class MigrateTest {
  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();

  private static Map<String, String> env(String db) {
    return Map.of("DATABASE_URL", pg.postgresUrl(db), "DB_CONNECT_RETRY_SECONDS", "30");
  }

  /**
   * The versions of the migrations this binary ships (V*.sql under db/migration), ascending. Not always 1..N:
   * branches add migrations with the numbers they will have once merged.
   */
  static List<Integer> shippedVersions() throws IOException, URISyntaxException {
    URL url = Migrator.class.getResource("/db/migration");
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
          .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).sorted().toList();
    }
  }

  /** The highest migration version this binary ships: the schema version it needs. */
  static int highestShipped() throws IOException, URISyntaxException {
    List<Integer> versions = shippedVersions();
    return versions.get(versions.size() - 1);
  }

  private static long count(List<ServiceProcess> processes, String message) {
    return processes.stream().flatMap(p -> p.stdout().stream())
        .filter(l -> l.contains("\"message\":\"" + message)).count();
  }

  @Test
  void eightConcurrentRunnersApplyEachMigrationExactlyOnce() throws Exception {
    String db = pg.createDatabase();
    List<Integer> versions = shippedVersions();
    int expected = versions.size();
    assertThat(expected).isGreaterThanOrEqualTo(2);

    List<ServiceProcess> runners = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        runners.add(ServiceProcess.start(Main.class, env(db), "migrate"));
      }
      for (ServiceProcess r : runners) {
        assertThat(r.awaitExit(Duration.ofSeconds(120))).as(r.allOutput()).isZero();
      }
    } finally {
      runners.forEach(ServiceProcess::close);
    }

    assertThat(count(runners, "applying migration version=")).isEqualTo(expected);
    assertThat(count(runners, "running database migrations")).isEqualTo(8);
    assertThat(count(runners, "migrations complete")).isEqualTo(8);
    assertThat(count(runners, "created the first system admin")).as("one bootstrap admin, by one runner").isEqualTo(1);
    for (int v : versions) {
      assertThat(count(runners, "applying migration version=" + v + "\"")).as("version " + v).isEqualTo(1);
    }

    try (Connection c = pg.connect(db); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select version, success from flyway_schema_history "
            + "where version is not null order by installed_rank")) {
      List<String> applied = new ArrayList<>();
      while (rs.next()) {
        assertThat(rs.getBoolean("success")).isTrue();
        applied.add(rs.getString("version"));
      }
      assertThat(applied).isEqualTo(versions.stream().map(String::valueOf).toList());
    }

    // Already current: a later runner does nothing and exits 0.
    try (ServiceProcess again = ServiceProcess.start(Main.class, env(db), "migrate")) {
      assertThat(again.awaitExit(Duration.ofSeconds(60))).isZero();
      assertThat(count(List.of(again), "applying migration")).isZero();
      assertThat(again.stdout()).anyMatch(l -> l.contains("\"applied\":0"));
    }
  }

  /** Our advisory lock is the leader lock: a runner waits while someone else holds it, then proceeds. */
  @Test
  void runnerWaitsForTheAdvisoryLock() throws Exception {
    String db = pg.createDatabase();
    try (Connection holder = pg.connect(db)) {
      try (PreparedStatement st = holder.prepareStatement("select pg_advisory_lock(?)")) {
        st.setLong(1, Migrator.LOCK_KEY);
        st.execute();
      }
      try (ServiceProcess runner = ServiceProcess.start(Main.class, env(db), "migrate")) {
        runner.awaitLine(l -> l.contains("waiting for the migration lock"), Duration.ofSeconds(30));
        Thread.sleep(1_000);
        assertThat(runner.isAlive()).isTrue();
        assertThat(count(List.of(runner), "applying migration")).isZero();
        assertThat(tableExists(db, "accounts")).isFalse();

        try (PreparedStatement st = holder.prepareStatement("select pg_advisory_unlock(?)")) {
          st.setLong(1, Migrator.LOCK_KEY);
          st.execute();
        }
        assertThat(runner.awaitExit(Duration.ofSeconds(60))).as(runner.allOutput()).isZero();
        assertThat(count(List.of(runner), "applying migration version=")).isEqualTo(shippedVersions().size());
      }
    }
  }

  /** An older binary against a newer schema refuses, changes nothing, exits 3 with one clear line. */
  @Test
  void olderBinaryRefusesANewerSchema() throws Exception {
    String db = pg.createDatabase();
    // A "newer release" migrated this database: our migrations plus a higher test-only one.
    Flyway.configure()
        .dataSource(pg.url(db).jdbcUrl(), "postgres", pg.password())
        .locations(Migrator.DEFAULT_LOCATION, "classpath:db/testfuture")
        .load()
        .migrate();

    try (ServiceProcess runner = ServiceProcess.start(Main.class, env(db), "migrate")) {
      assertThat(runner.awaitExit(Duration.ofSeconds(60))).isEqualTo(Main.EXIT_SCHEMA_TOO_NEW);
      String expected = "database schema is at version 900, newer than this binary's " + highestShipped()
          + "; refusing to migrate. Run a newer release.";
      assertThat(runner.stderr()).containsExactly("infracast-api: " + expected);
      assertThat(runner.stdout().get(runner.stdout().size() - 1)).contains("\"message\":\"" + expected + "\"")
          .contains("\"level\":\"ERROR\"");
      assertThat(runner.allOutput()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    // serve with MIGRATE_ON_START (an old ECS task restarting mid-rollout) keeps serving the newer schema.
    int port = TestPostgres.freeTcpPort();
    try (ServiceProcess old = ServiceProcess.start(Main.class, Map.of("DATABASE_URL", pg.postgresUrl(db),
        "JWT_SECRET", "0123456789abcdef0123456789abcdef-older", "MIGRATE_ON_START", "true",
        "API_PORT", Integer.toString(port)), "serve")) {
      old.awaitHealthy(port, Duration.ofSeconds(60));
      assertThat(old.stdout()).anyMatch(l -> l.contains("refusing to migrate. Run a newer release. Serving with the "
          + "existing schema.") && l.contains("\"level\":\"WARN\""));
    }
  }

  /**
   * A database at V6 (discovery and compliance) with nodes in it: the runner applies V7 after them, and the kept node
   * counts start out as the rows there are, per tenant and group.
   */
  @Test
  void aDatabaseAtV6GetsNodeCountsOfTheNodesItHas() throws Exception {
    String db = pg.createDatabase();
    Flyway.configure().dataSource(pg.url(db).jdbcUrl(), "postgres", pg.password())
        .locations(Migrator.DEFAULT_LOCATION).target("6").load().migrate();
    String count = "select tenant_id, type, region, coalesce(account_id, '-'), %s from %s group by 1, 2, 3, 4"
        + " order by 1, 2, 3, 4";
    List<String> nodes;
    try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
      st.execute("insert into accounts (name) values ('a')");
      st.execute("insert into tenants (account_id, slug, name) select id, s, s from accounts, (values ('one'), "
          + "('two')) t(s)");
      st.execute("insert into nodes (tenant_id, id, type, provider, region, account_id) select t.id, t.slug || i,"
          + " case when i % 3 = 0 then 'aws:s3:bucket' else 'aws:ec2:instance' end, 'aws',"
          + " case when i % 2 = 0 then 'eu-west-1' else 'us-east-1' end, case when i % 5 = 0 then null else '1' end"
          + " from tenants t, generate_series(1, case t.slug when 'one' then 30 else 7 end) i");
      nodes = rows(st, String.format(count, "count(*)", "nodes"));
    }

    try (ServiceProcess runner = ServiceProcess.start(Main.class, env(db), "migrate")) {
      assertThat(runner.awaitExit(Duration.ofSeconds(60))).as(runner.allOutput()).isZero();
      assertThat(count(List.of(runner), "applying migration version=")).isEqualTo(
          shippedVersions().stream().filter(v -> v > 6).count());
    }
    try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
      assertThat(rows(st, String.format(count, "sum(nodes)", "node_counts"))).isNotEmpty().isEqualTo(nodes);
    }
  }

  private static List<String> rows(Statement st, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(String.join(" ", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            Long.toString(rs.getLong(5))));
      }
    }
    return rows;
  }

  /** Nothing listens: retries briefly, then one line and exit 1. */
  @Test
  void unreachableDatabaseFailsWithOneLine() {
    int closedPort = TestPostgres.freeTcpPort();
    Map<String, String> env = Map.of(
        "DATABASE_URL", "postgresql://app:hunter2-secret@127.0.0.1:" + closedPort + "/app",
        "DB_CONNECT_RETRY_SECONDS", "2");
    try (ServiceProcess runner = ServiceProcess.start(Main.class, env, "migrate")) {
      assertThat(runner.awaitExit(Duration.ofSeconds(60))).isEqualTo(Main.EXIT_FAILURE);
      assertThat(runner.stderr()).hasSize(1);
      assertThat(runner.stderr().get(0)).startsWith("infracast-api: database unreachable at 127.0.0.1:" + closedPort);
      assertThat(runner.allOutput()).doesNotContain("hunter2-secret").doesNotContain("\tat ");
    }
  }

  /** A wrong password is not an outage: no retries, one line naming the cause, exit 2, within seconds. */
  @Test
  void wrongPasswordFailsAtOnce() {
    String db = pg.createDatabase();
    String url = "postgresql://postgres:not-the-password@127.0.0.1:" + pg.port() + "/" + db + "?sslmode=disable";
    long t0 = System.nanoTime();
    try (ServiceProcess runner = ServiceProcess.start(Main.class, Map.of("DATABASE_URL", url), "migrate")) {
      assertThat(runner.awaitExit(Duration.ofSeconds(60))).as(runner.allOutput()).isEqualTo(Main.EXIT_CONFIG);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("migrate with a wrong password exited after %d ms%n", ms);
      assertThat(ms).as("the default retry window is 20 s").isLessThan(10_000);
      assertThat(runner.stderr()).containsExactly("infracast-api: database refused the login of user postgres at "
          + "127.0.0.1:" + pg.port() + " (SQLSTATE 28P01: password authentication failed for user \"postgres\"): "
          + "check the user and password in DATABASE_URL");
      assertThat(count(List.of(runner), "database not reachable yet")).isZero();
      assertThat(runner.allOutput()).doesNotContain("not-the-password");
    }

    // serve without startup migration (as the operator runs it) does not sit degraded forever either.
    int port = TestPostgres.freeTcpPort();
    try (ServiceProcess serve = ServiceProcess.start(Main.class, Map.of("DATABASE_URL", url, "API_PORT",
        Integer.toString(port), "JWT_SECRET", "0123456789abcdef0123456789abcdef-login"), "serve")) {
      assertThat(serve.awaitExit(Duration.ofSeconds(60))).as(serve.allOutput()).isEqualTo(Main.EXIT_CONFIG);
      assertThat(serve.stderr()).singleElement().asString().startsWith("infracast-api: database refused the login");
    }
  }

  private static boolean tableExists(String db, String table) throws SQLException {
    try (Connection c = pg.connect(db);
        PreparedStatement st = c.prepareStatement("select to_regclass(?) is not null")) {
      st.setString(1, "public." + table);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
