package io.infracast.api.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.infracast.api.TestPostgres;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a client can do to the kernel before any domain logic: odd methods, foreign origins, malformed requests.
 * In-process, with one write route that counts the requests its handler really ran.
 */
class HttpEdgesTest {
  private static final String CDN = "https://cdn.example.test";
  private static final AtomicInteger writes = new AtomicInteger();
  private static PrometheusMeterRegistry registry;
  private static HttpServer server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    server = HttpServer.start(TestPostgres.freeTcpPort(), Optional.of(CDN), registry, List.of(routes -> {
      routes.get("/api/v1/things", ctx -> ctx.json(Map.of("writes", writes.get())));
      routes.post("/api/v1/things", ctx -> ctx.status(201).json(Map.of("writes", writes.incrementAndGet())));
      routes.get("/metrics", ctx -> ctx.result(registry.scrape()));
    }));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void resetWrites() {
    writes.set(0);
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
  }

  private static String envelope(String code, String message) {
    return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":{}}}";
  }

  @Test
  void randomMethodsDoNotGrowTheMetrics() throws Exception {
    send(request("/api/v1/things"));
    send(request("/nowhere"));
    int before = send(request("/metrics")).body().length();
    Random random = new Random(42);
    List<String> methods = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String method = "M" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase();
      methods.add(method);
      send(request(i % 2 == 0 ? "/api/v1/things" : "/nowhere").method(method, HttpRequest.BodyPublishers.noBody()));
    }
    String after = send(request("/metrics")).body();
    System.out.printf("metrics scrape: %d bytes before, %d bytes after 300 requests with random methods%n", before,
        after.length());
    assertThat(after).contains("method=\"other\"");
    methods.forEach(m -> assertThat(after).doesNotContain(m));
    assertThat(after.length() - before).as("a handful of new series at most").isLessThan(40_000);
  }

  @Test
  void aForeignOriginIsRefusedBeforeTheHandlerRuns() throws Exception {
    HttpResponse<String> r = send(request("/api/v1/things").header("Origin", "https://evil.example.test")
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("{\"error\":{\"code\":\"FORBIDDEN\",\"message\":\"origin https://evil.example.test "
        + "is not allowed\",\"details\":{}}}");
    assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(writes.get()).as("the handler did not run").isZero();

    HttpResponse<String> preflight = send(request("/api/v1/things").header("Origin", "https://evil.example.test")
        .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(preflight.statusCode()).isEqualTo(403);
    assertThat(writes.get()).isZero();
  }

  @Test
  void theCdnOriginAndTheSameOriginAreServed() throws Exception {
    HttpResponse<String> preflight = send(request("/api/v1/things").header("Origin", CDN)
        .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue(CDN);
    assertThat(preflight.headers().firstValue("access-control-allow-methods")).get().asString().contains("POST");
    assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValue("content-type");

    HttpResponse<String> fromCdn = send(request("/api/v1/things").header("Origin", CDN)
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(fromCdn.statusCode()).isEqualTo(201);
    assertThat(fromCdn.headers().firstValue("access-control-allow-origin")).hasValue(CDN);
    assertThat(fromCdn.headers().firstValue("access-control-allow-credentials")).hasValue("true");

    HttpResponse<String> sameOrigin = send(request("/api/v1/things").header("Origin", "http://127.0.0.1:" + server.port())
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(sameOrigin.statusCode()).isEqualTo(201);
    assertThat(writes.get()).isEqualTo(2);
  }

  @Test
  void aWrongMethodIs405WithAllow() throws Exception {
    HttpResponse<String> r = send(request("/api/v1/things").DELETE());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).hasValue("GET, HEAD, POST");
    assertThat(r.body()).isEqualTo("{\"error\":{\"code\":\"BAD_REQUEST\",\"message\":\"method DELETE is not allowed on "
        + "/api/v1/things (allowed: GET, HEAD, POST)\",\"details\":{\"allowed\":[\"GET\",\"HEAD\",\"POST\"]}}}");
    HttpResponse<String> head = send(request("/api/v1/things").method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).as("HEAD is served wherever GET is, so Allow names it").isEqualTo(200);
  }

  @Test
  void errorsJettyRaisesItselfAreTheJsonEnvelope() throws Exception {
    assertJson(raw("GET /api/v1/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414,
        envelope("BAD_REQUEST", "request URI too long"));
    assertJson(raw("GET /api/v1/things HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"), 431,
        envelope("BAD_REQUEST", "request headers too large"));
    assertJson(raw("THIS IS NOT HTTP\r\n\r\n"), 400, "malformed request: Illegal character");
    assertJson(raw("POST /api/v1/things HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n"), 400,
        "malformed request: Illegal character");
    assertJson(raw("GET /api/v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n"), 400, envelope("BAD_REQUEST", "malformed request"));
    assertThat(writes.get()).isZero();
  }

  /** {@code expected}: the whole body, or the start of its message. */
  private static void assertJson(String response, int status, String expected) {
    assertThat(response).startsWith("HTTP/1.1 " + status + " ");
    String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
    String content = response.substring(response.indexOf("\r\n\r\n") + 4);
    assertThat(head).contains("content-type: application/json");
    if (expected.startsWith("{")) {
      assertThat(content).isEqualTo(expected);
    } else {
      assertThat(content).startsWith("{\"error\":{\"code\":\"BAD_REQUEST\",\"message\":\"" + expected);
    }
  }

  /** One request written as raw bytes (what no well-behaved client would send); the whole response. */
  private static String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
