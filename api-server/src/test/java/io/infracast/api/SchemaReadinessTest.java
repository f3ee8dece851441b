package io.infracast.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.infracast.api.platform.db.Migrator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code serve} without startup migration (as the operator runs it) needs its schema: while a migration of this
 * binary is missing, /healthz says why with 503 (the pod is not ready, the old ReplicaSet keeps serving), and
 * it turns 200 by itself once {@code migrate} has run. A schema newer than the binary keeps it serving.
 */
class SchemaReadinessTest {
  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The highest migration this binary ships (V1, V2, ...: one file per version). */
  private static int shipped;

  @BeforeAll
  static void countMigrations() throws Exception {
    shipped = MigrateTest.latestVersion();
  }

  private static Map<String, String> env(String db, int port) {
    return Map.of("API_PORT", Integer.toString(port), "DATABASE_URL", pg.postgresUrl(db),
        "JWT_SECRET", "0123456789abcdef0123456789abcdef-schema", "MIGRATE_ON_START", "false");
  }

  private static void migrate(String db, String target, String... locations) {
    Flyway.configure().dataSource(pg.url(db).jdbcUrl(), "postgres", pg.password()).locations(locations)
        .target(target).load().migrate();
  }

  private static HttpResponse<String> healthz(int port) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The schema check runs on its own thread and may log before the server listens. */
  private static void awaitListening(ServiceProcess service) {
    service.awaitLine(l -> l.contains("\"message\":\"serving\""), Duration.ofSeconds(30));
  }

  @Test
  void schemaBehindTheBinaryIsNotReadyUntilMigrateRuns() throws Exception {
    String db = pg.createDatabase();
    migrate(db, "1", Migrator.DEFAULT_LOCATION); // the previous release's schema
    int port = TestPostgres.freeTcpPort();
    try (ServiceProcess service = ServiceProcess.start(Main.class, env(db, port), "serve")) {
      String reason = "database schema is at version 1, this binary needs " + shipped + ": run migrate";
      service.awaitLine(l -> l.contains(reason + " (not ready until then)") && l.contains("\"level\":\"WARN\""),
          Duration.ofSeconds(60));
      awaitListening(service);
      HttpResponse<String> notReady = healthz(port);
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body())
          .isEqualTo("{\"status\":\"not_ready\",\"db_connected\":true,\"reason\":\"" + reason + "\"}");
      Thread.sleep(3_000); // several checks later: still not ready, still running, said once
      assertThat(healthz(port).statusCode()).isEqualTo(503);
      assertThat(service.isAlive()).as("not ready, not crashing: no restart loop").isTrue();
      assertThat(service.stdout().stream().filter(l -> l.contains(reason))).hasSize(1);

      try (ServiceProcess job = ServiceProcess.start(Main.class, Map.of("DATABASE_URL", pg.postgresUrl(db)),
          "migrate")) {
        assertThat(job.awaitExit(Duration.ofSeconds(60))).as(job.allOutput()).isZero();
      }
      service.awaitHealthy(port, Duration.ofSeconds(10)); // without a restart
      assertThat(healthz(port).body()).isEqualTo("{\"status\":\"ok\",\"db_connected\":true}");
      assertThat(service.stdout()).anyMatch(l -> l.contains("\"message\":\"database schema is current\"")
          && l.contains("\"schema_version\":\"" + shipped + "\""));
    }
  }

  @Test
  void anEmptyDatabaseIsNotReadyEither() throws Exception {
    String db = pg.createDatabase();
    int port = TestPostgres.freeTcpPort();
    try (ServiceProcess service = ServiceProcess.start(Main.class, env(db, port), "serve")) {
      service.awaitLine(l -> l.contains("\"message\":\"database schema is at version 0, this binary needs "
          + shipped + ": run migrate (not ready until then)\""), Duration.ofSeconds(60));
      awaitListening(service);
      assertThat(healthz(port).statusCode()).isEqualTo(503);
    }
  }

  /** An old pod during a rolling update: a newer release already migrated; it keeps serving. */
  @Test
  void schemaNewerThanTheBinaryKeepsServing() throws Exception {
    String db = pg.createDatabase();
    migrate(db, "latest", Migrator.DEFAULT_LOCATION, "classpath:db/testfuture");
    int port = TestPostgres.freeTcpPort();
    try (ServiceProcess service = ServiceProcess.start(Main.class, env(db, port), "serve")) {
      service.awaitHealthy(port, Duration.ofSeconds(60));
      assertThat(service.stdout()).anyMatch(l -> l.contains("\"message\":\"database schema is current\"")
          && l.contains("\"schema_version\":\"900\"") && l.contains("\"binary_version\":\"" + shipped + "\""));
    }
  }
}
