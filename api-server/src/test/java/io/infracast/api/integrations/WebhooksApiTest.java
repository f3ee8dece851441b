package io.infracast.api.integrations;

import static io.infracast.api.TestApi.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import io.infracast.api.assets.AssetsService;
import io.infracast.api.audit.AuditService;
import io.infracast.api.compliance.ComplianceService;
import io.infracast.api.platform.crypto.SecretCipher;
import io.infracast.api.platform.db.Pools;
import io.infracast.api.platform.db.Transactions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks end to end against real PostgreSQL and a receiver in this JVM: the four events, produced through the
 * compliance and discovery paths, arrive signed with the secret shown at creation; failing receivers are retried
 * with backoff, then failed, without holding up a healthy one; a restart loses no event.
 */
class WebhooksApiTest {
  private static final String ADMIN = "root@example.test";
  private static final String PASSWORD = "webhooks-password-1";
  private static final String JWT = "webhooks-test-secret-0123456789-abcdefghijkl";
  private static final String KEYS = SecretCipher.generateEntry("test");
  private static final int MAX_ATTEMPTS = 3;
  private static final int TIMEOUT_MS = 500;
  private static final String PACK = "pack: hooks\nrules:\n  - id: HOOK-1\n    title: The thing is open\n"
      + "    severity: %s\n    frameworks: [{framework: House rules, control: H-1}]\n    node_types: [hook.thing]\n"
      + "    condition: {path: properties.open, equals: true}\n    remediation: Close it.\n";

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  @TempDir
  static Path plugins;
  @TempDir
  static Path rules;
  private static final Receiver receiver = new Receiver();
  private static TestApi api;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    executable("found", "cat >/dev/null\necho '{\"node\":{\"id\":\"aws:us-east-1:aws.s3.bucket:found\"}}'\n");
    executable("crash", "echo 'boom: no route to the cloud' >&2\nexit 3\n");
    Files.writeString(rules.resolve("hooks.yaml"), PACK.formatted("LOW"));
    api = TestApi.start(pg, pg.createDatabase(), JWT, ADMIN, PASSWORD, settings());
    admin = api.login(ADMIN, PASSWORD).get("access_token").asText();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    receiver.close();
  }

  /** Receivers on loopback only; short timeout and backoff so that retries take a second, not minutes. */
  private static Map<String, String> settings() {
    return Map.of("ENCRYPTION_KEYS", KEYS, "WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8",
        "WEBHOOK_TIMEOUT_MS", Integer.toString(TIMEOUT_MS), "WEBHOOK_RETRY_BASE_MS", "100",
        "WEBHOOK_MAX_ATTEMPTS", Integer.toString(MAX_ATTEMPTS), "PLUGIN_DIR", plugins.toString(),
        "RULES_DIR", rules.toString(), "RULES_RELOAD_SECONDS", "1");
  }

  @Test
  void findingEventsArriveSignedWithTheSecretShownOnce() throws Exception {
    tenant("findings");
    JsonNode hook = webhook("findings", "/ok/findings", "finding.created", "finding.severity_changed");
    String secret = hook.get("secret").asText();
    assertThat(secret).startsWith("whsec_");
    JsonNode read = body(api.call("GET", hookPath("findings", hook), admin, null));
    assertThat(read.has("secret")).as("the secret is shown once").isFalse();
    assertThat(read.get("url").asText()).isEqualTo(receiver.url("/ok/findings"));
    assertThat(body(api.call("GET", "/api/v1/tenants/findings/integrations", admin, null)).at("/items/0").has("secret"))
        .isFalse();

    thing("findings", "a");
    run("findings");
    Receiver.Hit created = receiver.await("/ok/findings", 1).get(0);
    assertThat(created.header("x-infracast-event")).isEqualTo("finding.created");
    assertThat(created.header("content-type")).isEqualTo("application/json");
    assertThat(created.header("x-infracast-signature")).as("HMAC-SHA256 of timestamp.body with the secret")
        .isEqualTo("sha256=" + hmac(secret, created.header("x-infracast-timestamp") + "." + created.body()));
    assertThat(Long.parseLong(created.header("x-infracast-timestamp")))
        .isBetween(System.currentTimeMillis() / 1000 - 60, System.currentTimeMillis() / 1000);
    JsonNode event = JSON.readTree(created.body());
    assertThat(event.get("type").asText()).isEqualTo("finding.created");
    assertThat(event.get("tenant").asText()).isEqualTo("findings");
    assertThat(event.at("/data/finding/rule_id").asText()).isEqualTo("HOOK-1");
    assertThat(event.at("/data/finding/severity").asText()).isEqualTo("LOW");
    assertThat(event.at("/data/finding/node_id").asText()).isEqualTo("custom:test:hook.thing:a");
    String findingId = event.at("/data/finding/id").asText();

    run("findings");
    Thread.sleep(1_000);
    assertThat(receiver.hits("/ok/findings")).as("an unchanged finding is not an event").hasSize(1);

    Files.writeString(rules.resolve("hooks.yaml"), PACK.formatted("HIGH"));
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
      run("findings");
      return receiver.hits("/ok/findings").size() > 1;
    });
    Receiver.Hit changed = receiver.await("/ok/findings", 2).get(1);
    assertThat(changed.header("x-infracast-event")).isEqualTo("finding.severity_changed");
    JsonNode change = JSON.readTree(changed.body());
    assertThat(change.at("/data/finding/id").asText()).isEqualTo(findingId);
    assertThat(change.at("/data/finding/severity").asText()).isEqualTo("HIGH");
    assertThat(change.at("/data/previous_severity").asText()).isEqualTo("LOW");
    assertThat(change.get("id").asText()).isNotEqualTo(event.get("id").asText());
    assertThat(changed.header("x-infracast-delivery")).isNotEqualTo(created.header("x-infracast-delivery"));

    JsonNode deliveries = deliveries("findings", hook, "");
    assertThat(deliveries.get("total").asInt()).isEqualTo(2);
    JsonNode newest = deliveries.at("/items/0");
    assertThat(newest.get("id").asText()).isEqualTo(changed.header("x-infracast-delivery"));
    assertThat(newest.get("event_type").asText()).isEqualTo("finding.severity_changed");
    assertThat(newest.get("status").asText()).isEqualTo("succeeded");
    assertThat(newest.get("attempts").asInt()).isEqualTo(1);
    assertThat(newest.get("last_status_code").asInt()).isEqualTo(200);
    assertThat(newest.get("next_attempt_at").isNull()).isTrue();
    Files.writeString(rules.resolve("hooks.yaml"), PACK.formatted("LOW"));
  }

  @Test
  void jobEventsArriveWhenAJobSucceedsOrFails() throws Exception {
    tenant("jobs");
    webhook("jobs", "/ok/jobs", "job.completed", "job.failed");
    webhook("jobs", "/ok/jobs-failed-only", "job.failed");
    HttpResponse<String> disabled = create("jobs", Map.of("name", "off", "url", receiver.url("/ok/jobs-disabled"),
        "events", List.of("job.completed", "job.failed"), "enabled", false));
    assertThat(body(disabled).get("enabled").asBoolean()).as(disabled.body()).isFalse();
    String done = body(api.call("POST", "/api/v1/tenants/jobs/jobs", admin,
        Map.of("name", "finds", "plugins", List.of("found")))).get("id").asText();
    Receiver.Hit completed = receiver.await("/ok/jobs", 1).get(0);
    assertThat(completed.header("x-infracast-event")).isEqualTo("job.completed");
    JsonNode job = JSON.readTree(completed.body()).at("/data/job");
    assertThat(job.get("id").asText()).isEqualTo(done);
    assertThat(job.get("status").asText()).isEqualTo("succeeded");
    assertThat(job.get("nodes").asInt()).isEqualTo(1);

    String failed = body(api.call("POST", "/api/v1/tenants/jobs/jobs", admin,
        Map.of("name", "crashes", "plugins", List.of("crash")))).get("id").asText();
    Receiver.Hit failure = receiver.await("/ok/jobs", 2).get(1);
    assertThat(failure.header("x-infracast-event")).isEqualTo("job.failed");
    job = JSON.readTree(failure.body()).at("/data/job");
    assertThat(job.get("id").asText()).isEqualTo(failed);
    assertThat(job.get("status").asText()).isEqualTo("failed");
    assertThat(job.get("error").asText()).isEqualTo("plugin crash exited with code 3: boom: no route to the cloud");
    assertThat(receiver.await("/ok/jobs-failed-only", 1)).extracting(h -> h.header("x-infracast-event"))
        .containsExactly("job.failed");
    assertThat(receiver.hits("/ok/jobs-disabled")).as("a disabled webhook is sent nothing").isEmpty();
  }

  @Test
  void aReceiverThatAnswers500IsRetriedUntilItTakesTheDelivery() throws Exception {
    tenant("flaky");
    JsonNode hook = webhook("flaky", "/flaky/once", "finding.created");
    thing("flaky", "a");
    run("flaky");
    List<Receiver.Hit> hits = receiver.await("/flaky/once", 2);
    assertThat(hits.get(1).header("x-infracast-delivery")).isEqualTo(hits.get(0).header("x-infracast-delivery"));
    assertThat(hits.get(1).body()).isEqualTo(hits.get(0).body());
    assertThat(hits).extracting(h -> h.header("x-infracast-attempt")).containsExactly("1", "2");
    await().atMost(Duration.ofSeconds(5)).until(() -> deliveries("flaky", hook, "").at("/items/0/status").asText()
        .equals("succeeded"));
    JsonNode delivery = deliveries("flaky", hook, "").at("/items/0");
    assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
    assertThat(delivery.get("last_status_code").asInt()).isEqualTo(200);
  }

  @Test
  void receiversThatHangOrFailAreGivenUpOnWithoutHoldingUpAHealthyOne() throws Exception {
    tenant("mixed");
    JsonNode slow = webhook("mixed", "/slow/mixed", "finding.created");
    JsonNode broken = webhook("mixed", "/broken/mixed", "finding.created");
    JsonNode gone = webhook("mixed", "/gone/mixed", "finding.created");
    JsonNode refused = webhook("mixed", "http://127.0.0.1:" + TestPostgres.freeTcpPort() + "/nobody",
        "finding.created");
    webhook("mixed", "/ok/mixed", "finding.created");
    int events = 12;
    for (int i = 0; i < events; i++) {
      thing("mixed", "t" + i);
    }
    long start = System.nanoTime();
    run("mixed");
    receiver.await("/ok/mixed", events);
    long healthyMs = (System.nanoTime() - start) / 1_000_000;
    // The slow receiver's 12 deliveries need at least 12 * 3 attempts of 500 ms, 4 at a time: over 4 s.
    assertThat(healthyMs).as("the healthy receiver had all %d events after %d ms", events, healthyMs)
        .isLessThan(2_500);
    assertThat(deliveries("mixed", slow, "?status=succeeded").get("total").asInt()).isZero();

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> deliveries("mixed", slow, "?status=failed").get("total").asInt() == events);
    JsonNode timedOut = deliveries("mixed", slow, "").at("/items/0");
    assertThat(timedOut.get("attempts").asInt()).isEqualTo(MAX_ATTEMPTS);
    assertThat(timedOut.get("last_error").asText()).isEqualTo("no answer within " + TIMEOUT_MS + " ms (attempt 3 of 3,"
        + " the last)");
    assertThat(timedOut.get("last_status_code").isNull()).isTrue();
    assertThat(timedOut.get("finished_at").isNull()).isFalse();

    await().atMost(Duration.ofSeconds(10))
        .until(() -> deliveries("mixed", broken, "?status=failed").get("total").asInt() == events);
    JsonNode failed = deliveries("mixed", broken, "").at("/items/0");
    assertThat(failed.get("attempts").asInt()).isEqualTo(MAX_ATTEMPTS);
    assertThat(failed.get("last_status_code").asInt()).isEqualTo(500);
    assertThat(failed.get("last_error").asText()).isEqualTo("HTTP 500 (attempt 3 of 3, the last)");
    assertThat(receiver.hits("/broken/mixed")).hasSize(events * MAX_ATTEMPTS);

    await().atMost(Duration.ofSeconds(10))
        .until(() -> deliveries("mixed", refused, "?status=failed").get("total").asInt() == events);
    assertThat(deliveries("mixed", refused, "").at("/items/0/last_error").asText()).startsWith("cannot connect");

    JsonNode rejected = deliveries("mixed", gone, "").at("/items/0");
    assertThat(rejected.get("status").asText()).isEqualTo("failed");
    assertThat(rejected.get("attempts").asInt()).as("a 4xx is the receiver's no: not retried").isEqualTo(1);
    assertThat(rejected.get("last_error").asText())
        .isEqualTo("HTTP 410: not retried (only timeouts, connection failures, 408, 429 and 5xx are)");
  }

  @Test
  void aRestartLosesNoEvent() throws Exception {
    String database = pg.createDatabase();
    receiver.down.set(true);
    UUID tenant;
    JsonNode hook;
    try (TestApi first = TestApi.start(pg, database, JWT, ADMIN, PASSWORD, settings())) {
      String token = first.login(ADMIN, PASSWORD).get("access_token").asText();
      tenant = UUID.fromString(body(first.call("POST", "/api/v1/tenants", token,
          Map.of("slug", "restart", "name", "restart"))).get("id").asText());
      HttpResponse<String> r = first.call("POST", "/api/v1/tenants/restart/integrations", token, Map.of("name",
          "down", "url", receiver.url("/down/restart"), "events", List.of("finding.created")));
      hook = body(r);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      for (String id : List.of("p1", "p2")) {
        assertThat(first.call("POST", "/api/v1/tenants/restart/nodes", token, thingNode(id)).statusCode())
            .isEqualTo(201);
      }
      assertThat(first.call("POST", "/api/v1/tenants/restart/findings/run", token, Map.of()).statusCode())
          .isEqualTo(200);
      assertThat(first.call("POST", "/api/v1/tenants/restart/nodes", token, thingNode("p3")).statusCode())
          .isEqualTo(201);
      // Both deliveries have been tried (the receiver is down): they are pending when the service stops.
      receiver.await("/down/restart", 2);
    }
    assertThat(count(database, "select count(*) from webhook_deliveries where status = 'pending'")).isEqualTo(2);

    // With no service running, an evaluation (the compliance path itself) leaves p3's event in the outbox.
    try (HikariDataSource pool = Pools.create(pg.url(database), "evaluation", 2, new SimpleMeterRegistry())) {
      Transactions transactions = new Transactions(pool);
      AuditService audit = new AuditService(transactions);
      try (ComplianceService compliance = new ComplianceService(transactions, audit,
          new AssetsService(transactions, audit), Optional.of(rules), Duration.ZERO, List.of())) {
        assertThat(compliance.evaluateTenant(tenant).created()).isEqualTo(1);
      }
    }
    assertThat(count(database, "select count(*) from outbox_events")).isEqualTo(1);

    // A delivery that ended over 30 days ago: the next replica to start deletes it.
    try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
      st.execute("insert into webhook_deliveries (id, tenant_id, integration_id, event_id, event_type, body, status,"
          + " finished_at) values (gen_random_uuid(), '" + tenant + "', '" + hook.get("id").asText() + "',"
          + " gen_random_uuid(), 'finding.created', '{}', 'succeeded', now() - interval '31 days')");
    }
    receiver.down.set(false);
    try (TestApi second = TestApi.start(pg, database, JWT, ADMIN, PASSWORD, settings())) {
      String token = second.login(ADMIN, PASSWORD).get("access_token").asText();
      await().atMost(Duration.ofSeconds(10)).until(() -> body(second.call("GET",
          "/api/v1/tenants/restart/integrations/" + hook.get("id").asText() + "/deliveries?status=succeeded", token,
          null)).get("total").asInt() == 3);
    }
    assertThat(count(database, "select count(*) from webhook_deliveries where finished_at < now() - interval"
        + " '30 days'")).as("ended over 30 days ago").isZero();
    Set<String> delivered = new TreeSet<>();
    for (Receiver.Hit h : receiver.hits("/down/restart")) {
      if (h.status() == 200) {
        delivered.add(JSON.readTree(h.body()).at("/data/finding/node_id").asText());
      }
    }
    assertThat(delivered).containsExactly("custom:test:hook.thing:p1", "custom:test:hook.thing:p2",
        "custom:test:hook.thing:p3");
  }

  @Test
  void aStoppingReplicaHandsItsAttemptsUnderWayBack() throws Exception {
    String database = pg.createDatabase();
    Map<String, String> patient = new TreeMap<>(settings());
    patient.put("WEBHOOK_TIMEOUT_MS", "20000");
    receiver.hang.set(true);
    String hookId;
    try (TestApi first = TestApi.start(pg, database, JWT, ADMIN, PASSWORD, patient)) {
      String token = first.login(ADMIN, PASSWORD).get("access_token").asText();
      first.createTenants(token, "handback");
      hookId = body(first.call("POST", "/api/v1/tenants/handback/integrations", token, Map.of("name", "hang",
          "url", receiver.url("/hang/handback"), "events", List.of("finding.created")))).get("id").asText();
      assertThat(first.call("POST", "/api/v1/tenants/handback/nodes", token, thingNode("h")).statusCode())
          .isEqualTo(201);
      assertThat(first.call("POST", "/api/v1/tenants/handback/findings/run", token, Map.of()).statusCode())
          .isEqualTo(200);
      receiver.await("/hang/handback", 1);
    }
    receiver.hang.set(false);
    try (TestApi second = TestApi.start(pg, database, JWT, ADMIN, PASSWORD, settings())) {
      String token = second.login(ADMIN, PASSWORD).get("access_token").asText();
      String path = "/api/v1/tenants/handback/integrations/" + hookId + "/deliveries";
      await().atMost(Duration.ofSeconds(10)).until(() -> body(second.call("GET", path, token, null))
          .at("/items/0/status").asText().equals("succeeded"));
      assertThat(body(second.call("GET", path, token, null)).at("/items/0/attempts").asInt())
          .as("an attempt handed back is not counted").isEqualTo(1);
    }
    List<Receiver.Hit> hits = receiver.hits("/hang/handback");
    assertThat(hits.stream().map(h -> h.header("x-infracast-delivery")).distinct()).hasSize(1);
    assertThat(hits).extracting(Receiver.Hit::status).contains(200);
  }

  @Test
  void twoReplicasSendEachDeliveryOnce() throws Exception {
    tenant("replicas");
    webhook("replicas", "/ok/replicas", "finding.created");
    int events = 40;
    for (int i = 0; i < events; i++) {
      thing("replicas", "r" + i);
    }
    try (TestApi second = TestApi.start(pg, api.databaseName(), JWT, ADMIN, PASSWORD, settings())) {
      assertThat(second.call("POST", "/api/v1/tenants/replicas/findings/run", admin, Map.of()).statusCode())
          .isEqualTo(200);
      receiver.await("/ok/replicas", events);
      Thread.sleep(1_500); // four polls of each replica: time for a second copy to arrive
    }
    assertThat(receiver.hits("/ok/replicas")).extracting(h -> h.header("x-infracast-delivery")).hasSize(events)
        .doesNotHaveDuplicates();
  }

  @Test
  void badWebhooksAreRefusedWithTheReason() throws Exception {
    tenant("bad");
    HttpResponse<String> r = create("bad", Map.of("name", "private", "url", "http://10.1.2.3/hook",
        "events", List.of("job.failed")));
    assertThat(TestApi.message(r)).isEqualTo("field 'url' targets 10.1.2.3, which is outside"
        + " WEBHOOK_ALLOWED_NETWORKS (127.0.0.0/8)");
    assertThat(JSON.readTree(r.body()).at("/error/details/reason").asText()).isEqualTo("target_not_allowed");
    assertThat(TestApi.message(create("bad", Map.of("name", "ftp", "url", "ftp://127.0.0.1/hook",
        "events", List.of("job.failed"))))).isEqualTo("field 'url' must be an absolute http:// or https:// URL");
    assertThat(TestApi.message(create("bad", Map.of("name", "user", "url", "http://me:pw@127.0.0.1/hook",
        "events", List.of("job.failed"))))).contains("without user information");
    assertThat(TestApi.message(create("bad", Map.of("name", "event", "url", receiver.url("/ok/bad"),
        "events", List.of("job.started"))))).startsWith("unknown event 'job.started'");
    assertThat(TestApi.message(create("bad", Map.of("name", "type", "type", "slack", "url", receiver.url("/ok/bad"),
        "events", List.of("job.failed"))))).contains("must be webhook");
    assertThat(api.call("GET", "/api/v1/tenants/bad/integrations/" + UUID.randomUUID(), admin, null).statusCode())
        .isEqualTo(404);
    assertThat(api.call("GET", "/api/v1/tenants/bad/integrations/not-an-id/deliveries", admin, null).statusCode())
        .isEqualTo(404);

    JsonNode hook = webhook("bad", "/ok/bad", "job.failed");
    tenant("other");
    assertThat(api.call("GET", "/api/v1/tenants/other/integrations/" + hook.get("id").asText(), admin, null)
        .statusCode()).as("another tenant's webhook").isEqualTo(404);
    assertThat(api.call("DELETE", hookPath("bad", hook), admin, null).statusCode()).isEqualTo(204);
    assertThat(api.call("GET", hookPath("bad", hook), admin, null).statusCode()).isEqualTo(404);
    JsonNode audit = body(api.call("GET", "/api/v1/tenants/bad/audit-log", admin, null));
    List<String> actions = new ArrayList<>();
    audit.get("items").forEach(e -> actions.add(e.get("action").asText()));
    assertThat(actions).contains("integration.created", "integration.deleted");
  }

  @Test
  void withoutEncryptionKeysCreatingAWebhookIsNotConfigured() throws Exception {
    Map<String, String> noKeys = new TreeMap<>(settings());
    noKeys.remove("ENCRYPTION_KEYS");
    try (TestApi plain = TestApi.start(pg, pg.createDatabase(), JWT, ADMIN, PASSWORD, noKeys)) {
      String token = plain.login(ADMIN, PASSWORD).get("access_token").asText();
      plain.createTenants(token, "plain");
      HttpResponse<String> r = plain.call("POST", "/api/v1/tenants/plain/integrations", token, Map.of("name", "h",
          "url", receiver.url("/ok/plain"), "events", List.of("job.failed")));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      assertThat(TestApi.error(r)).isEqualTo("NOT_CONFIGURED");
      assertThat(JSON.readTree(r.body()).at("/error/details/setting").asText()).isEqualTo("ENCRYPTION_KEYS");
    }
  }

  // Helpers

  private static void tenant(String slug) throws Exception {
    api.createTenants(admin, slug);
  }

  private static HttpResponse<String> create(String tenant, Map<String, Object> hook) throws Exception {
    return api.call("POST", "/api/v1/tenants/" + tenant + "/integrations", admin, hook);
  }

  /** A webhook to the receiver's {@code path} (or to a full URL) for these events; asserts it was created. */
  private static JsonNode webhook(String tenant, String path, String... events) throws Exception {
    HttpResponse<String> r = create(tenant, Map.of("name", path, "url", path.startsWith("http") ? path
        : receiver.url(path), "events", List.of(events)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private static String hookPath(String tenant, JsonNode hook) {
    return "/api/v1/tenants/" + tenant + "/integrations/" + hook.get("id").asText();
  }

  private static JsonNode deliveries(String tenant, JsonNode hook, String query) throws Exception {
    return body(api.call("GET", hookPath(tenant, hook) + "/deliveries" + query, admin, null));
  }

  private static Map<String, Object> thingNode(String id) {
    return Map.of("id", "custom:test:hook.thing:" + id, "properties", Map.of("open", true));
  }

  /** A node that fails HOOK-1. */
  private static void thing(String tenant, String id) throws Exception {
    HttpResponse<String> r = api.call("POST", "/api/v1/tenants/" + tenant + "/nodes", admin, thingNode(id));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  private static void run(String tenant) throws Exception {
    HttpResponse<String> r = api.call("POST", "/api/v1/tenants/" + tenant + "/findings/run", admin, Map.of());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static JsonNode body(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static long count(String database, String sql) throws Exception {
    try (Connection c = pg.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String hmac(String secret, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }

  private static void executable(String name, String body) throws IOException {
    Path file = Files.writeString(plugins.resolve(name), "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /**
   * Webhook receivers by path: {@code /ok/..} 200, {@code /flaky/..} 500 the first time then 200,
   * {@code /broken/..} 500, {@code /gone/..} 410, {@code /slow/..} answers long after the timeout, {@code /down/..}
   * 503 while {@link #down} is set, {@code /hang/..} not until {@link #hang} is cleared.
   */
  static final class Receiver implements AutoCloseable {
    /** A request received, with the status it was answered. */
    record Hit(String path, Map<String, String> headers, String body, int status) {
      String header(String name) {
        return headers.get(name);
      }
    }

    final AtomicBoolean down = new AtomicBoolean();
    final AtomicBoolean hang = new AtomicBoolean();
    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    private final HttpServer server;

    Receiver() {
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext("/", this::handle);
      server.start();
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
      String path = exchange.getRequestURI().getPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
      int status = 200;
      if (path.startsWith("/flaky/")) {
        status = failedOnce.add(path) ? 500 : 200;
      } else if (path.startsWith("/broken/")) {
        status = 500;
      } else if (path.startsWith("/gone/")) {
        status = 410;
      } else if (path.startsWith("/down/")) {
        status = down.get() ? 503 : 200;
      } else if (path.startsWith("/hang/")) {
        // Seen at once (status 0), answered once hang is cleared.
        hits.add(new Hit(path, headers, body, 0));
        pause(() -> !hang.get(), Duration.ofSeconds(30));
      } else if (path.startsWith("/slow/")) {
        pause(() -> false, Duration.ofMillis(TIMEOUT_MS * 4L));
      }
      hits.add(new Hit(path, headers, body, status));
      try {
        exchange.sendResponseHeaders(status, -1);
      } catch (IOException e) {
        // the sender gave up (timeout): nothing to answer
      }
      exchange.close();
    }

    private static void pause(BooleanSupplier done, Duration atMost) {
      long until = System.nanoTime() + atMost.toNanos();
      try {
        while (!done.getAsBoolean() && System.nanoTime() < until) {
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    List<Hit> hits(String path) {
      return hits.stream().filter(h -> h.path().equals(path)).toList();
    }

    /** The first {@code n} requests to {@code path}, once there are that many (within 10 s). */
    List<Hit> await(String path, int n) {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hits(path).size() >= n);
      return hits(path).subList(0, n);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
