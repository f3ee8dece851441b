package io.infracast.api.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.infracast.api.TestPostgres;
import io.infracast.api.platform.db.DatabaseHealth;
import io.infracast.api.platform.http.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /healthz} in-process with a database that is down (ServeTest covers a real one going away). */
class HealthzTest {
  private static HttpServer server;
  private static DatabaseHealth health;

  @BeforeAll
  static void start() {
    DataSource down = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          throw new SQLException("database is down");
        });
    health = new DatabaseHealth(down, Duration.ofMillis(500), Duration.ofMillis(100));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    server = HttpServer.start(TestPostgres.freeTcpPort(), Optional.empty(), registry,
        List.of(new MetaModule(new MetaService("9.9.9", health, Optional::empty), registry)));
  }

  @AfterAll
  static void stop() {
    server.close();
    health.close();
  }

  @Test
  void healthzIsDegradedQuicklyWhenTheDatabaseIsDown() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("{\"status\":\"degraded\",\"db_connected\":false}");
    assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
  }
}
