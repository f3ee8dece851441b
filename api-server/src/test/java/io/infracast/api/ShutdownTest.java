package io.infracast.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SIGTERM during a slow request: stop accepting, finish the request, exit 0. */
class ShutdownTest {
  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();

  @Test
  void sigtermDrainsInFlightRequestsAndExitsZero() throws Exception {
    int port = TestPostgres.freeTcpPort();
    Map<String, String> env = Map.of(
        "API_PORT", Integer.toString(port),
        "DATABASE_URL", pg.postgresUrl(pg.createDatabase()),
        "JWT_SECRET", "0123456789abcdef0123456789abcdef-shutdown",
        "MIGRATE_ON_START", "true");
    try (ServiceProcess service = ServiceProcess.start(SlowServeMain.class, env)) {
      service.awaitHealthy(port, Duration.ofSeconds(60));

      HttpClient client = HttpClient.newHttpClient();
      CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/test/slow?ms=3000"))
              .timeout(Duration.ofSeconds(40)).build(),
          HttpResponse.BodyHandlers.ofString());
      service.awaitLine(l -> l.contains("slow request started"), Duration.ofSeconds(10));

      long t0 = System.nanoTime();
      service.terminate();
      service.awaitLine(l -> l.contains("shutting down"), Duration.ofSeconds(10));
      Thread.sleep(300);
      // No new connections while draining.
      assertThatThrownBy(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        }
      }).isInstanceOf(IOException.class);

      HttpResponse<String> response = slow.get(40, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{\"slept_ms\":3000}");

      assertThat(service.awaitExit(Duration.ofSeconds(40))).as(service.allOutput()).isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
      assertThat(service.stdout()).anyMatch(l -> l.contains("\"message\":\"shutdown complete\""));
    }
  }
}
