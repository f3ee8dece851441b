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

/** {@code serve} when PostgreSQL is down at startup. */
class StartupTest {
  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  private static String db;

  /** Migrated, as the operator's Job leaves it: without it serve is never ready (SchemaReadinessTest). */
  @BeforeAll
  static void createDatabase() {
    db = pg.createDatabase();
    Flyway.configure().dataSource(pg.url(db).jdbcUrl(), "postgres", pg.password())
        .locations(Migrator.DEFAULT_LOCATION).load().migrate();
  }

  private static Map<String, String> env(int port, boolean migrate) {
    return Map.of(
        "API_PORT", Integer.toString(port),
        "DATABASE_URL", pg.postgresUrl(db),
        "JWT_SECRET", "0123456789abcdef0123456789abcdef-startup",
        "MIGRATE_ON_START", Boolean.toString(migrate),
        "DB_CONNECT_RETRY_SECONDS", "60");
  }

  private static int healthz(HttpClient client, int port) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  /** Without startup migration the pod comes up degraded (503) and turns ok when the database appears. */
  @Test
  void servesDegradedThenRecoversWithoutMigrateOnStart() throws Exception {
    pg.stop();
    int port = TestPostgres.freeTcpPort();
    HttpClient client = HttpClient.newHttpClient();
    try (ServiceProcess service = ServiceProcess.start(Main.class, env(port, false), "serve")) {
      service.awaitLine(l -> l.contains("\"message\":\"serving\""), Duration.ofSeconds(60));
      assertThat(healthz(client, port)).isEqualTo(503);
      pg.startAgain();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      int status = 0;
      while (status != 200 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        status = healthz(client, port);
      }
      assertThat(status).isEqualTo(200);
    } finally {
      pg.startAgain();
    }
  }

  /** With startup migration (the ECS path) it retries with backoff, migrates once the database is up, serves. */
  @Test
  void migrateOnStartWaitsForTheDatabase() throws Exception {
    pg.stop();
    int port = TestPostgres.freeTcpPort();
    try (ServiceProcess service = ServiceProcess.start(Main.class, env(port, true), "serve")) {
      service.awaitLine(l -> l.contains("database not reachable yet, retrying"), Duration.ofSeconds(60));
      pg.startAgain();
      service.awaitHealthy(port, Duration.ofSeconds(60));
      assertThat(service.stdout()).anyMatch(l -> l.contains("\"message\":\"migrations complete\""));
    } finally {
      pg.startAgain();
    }
  }
}
