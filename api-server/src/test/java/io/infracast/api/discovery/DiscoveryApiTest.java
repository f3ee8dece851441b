package io.infracast.api.discovery;

import static io.infracast.api.TestApi.JSON;
import static io.infracast.api.TestApi.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery jobs through HTTP against a real PostgreSQL 15, with real plugin subprocesses: the lifecycle, the log
 * stream, plugins that crash, hang, flood, write garbage or leave children behind (checked in the process table),
 * cancellation of a process tree, the inventory plugin end to end, and two replicas sharing one database.
 */
class DiscoveryApiTest {
  private static final String ADMIN = "root@example.test";
  private static final String PASSWORD = "discovery-password-1";
  private static final String SECRET = "discovery-test-secret-0123456789-abcdefghijkl";
  private static final String EC2 = "aws:us-east-1:aws.ec2.instance:";
  /**
   * Starts three processes that outlive their parent (re-parented to init, out of the service's descendants): one
   * plain, one in a session of its own, one ignoring SIGTERM; each with {@code NNN.4242} on its command line and
   * the plugin's stdout.
   */
  private static final String DETACHED = """
      (sleep %1$d.4242 &)
      (setsid sleep %1$d.4242 &)
      (trap '' TERM; sleep %1$d.4242 &)
      """;

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  @TempDir
  static Path plugins;
  private static TestApi api;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    Files.copy(Path.of("plugins/inventory"), plugins.resolve("inventory"), StandardCopyOption.COPY_ATTRIBUTES);
    plugin("ok", """
        cat >/dev/null
        echo '{"node":{"id":"%1$si-1","name":"web-1","tags":{"env":"prod"}}}'
        echo '{"node":{"id":"aws:us-east-1:aws.ec2.vpc:vpc-1"}}'
        echo '{"edge":{"source_id":"aws:us-east-1:aws.ec2.vpc:vpc-1","target_id":"%1$si-1","type":"contains"}}'
        echo '{"log":{"level":"info","message":"found 2 resources"}}'
        """.formatted(EC2));
    plugin("crash", "echo 'boom: no route to the cloud' >&2\nexit 3\n");
    plugin("refused", "echo 'Picked up JAVA_TOOL_OPTIONS' >&2\n"
        + "echo '{\"log\":{\"level\":\"error\",\"message\":\"the cloud refused: access denied\"}}'\nexit 1\n");
    plugin("garbage", "echo '{\"log\":{\"level\":\"info\",\"message\":\"fine\"}}'\necho 'Traceback (most recent call last):'\n");
    plugin("hang", "sleep 30.4242\n");
    plugin("flood", "yes '{\"log\":{\"level\":\"info\",\"message\":\"x\"}}'\n");
    plugin("long-line", "head -c 2000000 /dev/zero | tr '\\\\0' 'a'\n");
    plugin("slow-log", "for i in 1 2 3 4 5; do echo \"{\\\"log\\\":{\\\"level\\\":\\\"info\\\",\\\"message\\\":\\\"step $i\\\"}}\"; sleep 0.3; done\n");
    plugin("tree", "sh -c 'sleep 301.4242 & sleep 301.4242; wait' &\n" + DETACHED.formatted(301) + "sleep 301.4242\n");
    plugin("detaches", DETACHED.formatted(302) + "sleep 302.4242\n");
    plugin("leaves-children", DETACHED.formatted(303)
        + "echo '{\"log\":{\"level\":\"info\",\"message\":\"done\"}}'\n");
    // Relative, as PLUGIN_DIR may be: plugins run in the plugin folder, so nothing may depend on the service's own.
    api = TestApi.start(pg, pg.createDatabase(), SECRET, ADMIN, PASSWORD, Map.of("PLUGIN_DIR", pluginDir()));
    admin = api.login(ADMIN, PASSWORD).get("access_token").asText();
    for (String slug : List.of("acme", "globex")) {
      assertThat(api.call("POST", "/api/v1/tenants", admin, Map.of("slug", slug, "name", slug)).statusCode())
          .isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static String pluginDir() {
    return Path.of("").toAbsolutePath().relativize(plugins).toString();
  }

  static void plugin(String name, String body) throws Exception {
    plugin(plugins, name, body);
  }

  /** Writes an executable shell script {@code dir/name}. */
  static void plugin(Path dir, String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  // Lifecycle

  @Test
  void aJobRunsItsPluginAndPutsItsResultsIntoTheGraph() throws Exception {
    JsonNode job = create("acme", Map.of("name", "nightly", "plugins", List.of("ok")));
    assertThat(job.get("status").asText()).as("running as soon as it is created").isEqualTo("running");
    JsonNode done = awaitEnd("acme", job);
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
    assertThat(done.get("nodes").asInt()).isEqualTo(2);
    assertThat(done.get("edges").asInt()).isEqualTo(1);
    assertThat(done.get("created_by").get("type").asText()).isEqualTo("user");
    assertThat(done.get("finished_at").asText()).isNotEmpty();

    JsonNode node = body(api.call("GET", "/api/v1/tenants/acme/nodes/" + URLEncoder.encode(EC2 + "i-1",
        StandardCharsets.UTF_8), admin, null));
    assertThat(node.get("name").asText()).isEqualTo("web-1");
    assertThat(node.get("tags").get("env").asText()).isEqualTo("prod");
    // A type list's total is summed from counts kept by triggers (V7): the job's bulk writes keep it exact.
    JsonNode ofType = body(api.call("GET", "/api/v1/tenants/acme/nodes?per_page=500&type="
        + node.get("type").asText(), admin, null));
    assertThat(ofType.get("total").asInt()).isPositive().isEqualTo(ofType.get("items").size());
    JsonNode edges = body(api.call("GET", "/api/v1/tenants/acme/edges?type=contains", admin, null));
    assertThat(edges.get("items")).hasSize(1);
    assertThat(logMessages("acme", job)).contains("found 2 resources", "running plugin ok",
        "succeeded: 2 nodes, 1 edges");

    JsonNode list = body(api.call("GET", "/api/v1/tenants/acme/jobs?status=succeeded&plugin=ok", admin, null));
    assertThat(list.get("items").findValuesAsText("id")).contains(job.get("id").asText());
    assertThat(list.get("total").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(body(api.call("GET", "/api/v1/tenants/acme/jobs?plugin=crash&status=succeeded", admin, null))
        .get("total").asInt()).isZero();
    JsonNode audit = body(api.call("GET", "/api/v1/tenants/acme/audit-log?per_page=500", admin, null));
    assertThat(audit.get("items").findValuesAsText("action")).contains("job.created", "nodes.upserted",
        "edges.upserted", "job.succeeded");

    HttpResponse<String> again = api.call("DELETE", jobPath("acme", job), admin, null);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(message(again)).contains("already succeeded");
    assertThat(api.call("GET", "/api/v1/tenants/globex/jobs/" + job.get("id").asText(), admin, null).statusCode())
        .as("another tenant's job is not there").isEqualTo(404);
  }

  @Test
  void badRequestsSayWhatIsWrong() throws Exception {
    HttpResponse<String> unknown = post("acme", Map.of("name", "x", "plugins", List.of("nmap")));
    assertThat(message(unknown)).startsWith("unknown plugin 'nmap': available are ").contains("inventory", "ok");
    assertThat(message(post("acme", Map.of("name", "x", "plugins", List.of("../ok")))))
        .contains("plugin names are 1 to 64 of a-z, 0-9 and -");
    assertThat(message(post("acme", Map.of("name", "x", "plugins", List.of("ok"),
        "config", Map.of("timeout_seconds", 0))))).contains("timeout_seconds must be a whole number from 1 to 21600");
    HttpResponse<String> credential = post("acme", Map.of("name", "x", "plugins", List.of("ok"),
        "credential_id", "c0ffee00-0000-0000-0000-000000000000"));
    assertThat(credential.statusCode()).as("this service has no ENCRYPTION_KEYS").isEqualTo(503);
    assertThat(TestApi.error(credential)).isEqualTo("NOT_CONFIGURED");
    HttpResponse<String> store = api.call("POST", "/api/v1/tenants/acme/credentials", admin, Map.of("name", "k",
        "type", "generic", "secret", Map.of("k", "v")));
    assertThat(store.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(store.body()).at("/error/message").asText())
        .isEqualTo("discovery credentials need ENCRYPTION_KEYS, which this service was started without");
    assertThat(message(post("acme", Map.of("name", "x", "plugins", List.of("ok"), "credential_id", "nope"))))
        .isEqualTo("field 'credential_id' must be a credential's id (a UUID)");
    assertThat(message(post("acme", Map.of("name", "x", "plugins", List.of())))).contains("1 to 20 elements");
    assertThat(api.call("GET", "/api/v1/tenants/acme/jobs/not-a-job", admin, null).statusCode()).isEqualTo(404);
  }

  // Plugins that misbehave

  @Test
  void aCrashFailsTheJobWithItsExitCodeAndStderr() throws Exception {
    JsonNode done = awaitEnd("acme", create("acme", Map.of("name", "crash", "plugins", List.of("crash"))));
    assertThat(done.get("status").asText()).isEqualTo("failed");
    assertThat(done.get("error").asText()).isEqualTo("plugin crash exited with code 3: boom: no route to the cloud");
    assertThat(logMessages("acme", done)).contains("boom: no route to the cloud");
  }

  @Test
  void aPluginsLastErrorLineIsItsReason() throws Exception {
    JsonNode done = awaitEnd("acme", create("acme", Map.of("name", "refused", "plugins", List.of("refused"))));
    assertThat(done.get("error").asText()).isEqualTo("plugin refused exited with code 1: the cloud refused: access "
        + "denied");
  }

  @Test
  void aGarbageLineFailsTheJobNamingTheLine() throws Exception {
    JsonNode done = awaitEnd("acme", create("acme", Map.of("name", "garbage", "plugins", List.of("garbage"))));
    assertThat(done.get("error").asText())
        .isEqualTo("plugin garbage line 2: not JSON (\"Traceback (most recent call last):\")");
  }

  @Test
  void aPluginPastItsDeadlineIsKilledAndTheJobFails() throws Exception {
    long start = System.nanoTime();
    JsonNode done = awaitEnd("acme", create("acme", Map.of("name", "hang", "plugins", List.of("hang"),
        "config", Map.of("timeout_seconds", 1))));
    assertThat(done.get("error").asText()).isEqualTo("the job did not finish within its deadline of 1 s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    // Killed processes linger for a moment until their parent (or init) reaps them.
    await().atMost(Duration.ofSeconds(3)).until(() -> processesWith("30.4242").isEmpty());
  }

  @Test
  void outputOverTheLimitsFailsTheJob() throws Exception {
    JsonNode flood = awaitEnd("acme", create("acme", Map.of("name", "flood", "plugins", List.of("flood"))));
    assertThat(flood.get("error").asText()).isEqualTo("plugin flood wrote more than the output limit of 1000000 lines");
    assertThat(logMessages("acme", flood)).as("the log keeps its first 2,000 lines").hasSizeLessThanOrEqualTo(2_000);
    JsonNode line = awaitEnd("acme", create("acme", Map.of("name", "line", "plugins", List.of("long-line"))));
    assertThat(line.get("error").asText()).isEqualTo("plugin long-line line 1 is longer than 1048576 bytes");
  }

  // Process trees

  @Test
  void cancellingKillsThePluginsWholeProcessTree() throws Exception {
    JsonNode job = create("acme", Map.of("name", "tree", "plugins", List.of("tree")));
    await().atMost(Duration.ofSeconds(10)).until(() -> processesWith("301.4242").size() >= 7);
    List<ProcessHandle> ours = ProcessHandle.current().descendants().toList();
    assertThat(processesWith("301.4242")).as("detached: no longer descendants of the service")
        .filteredOn(p -> !ours.contains(p)).hasSize(3);
    HttpResponse<String> cancelled = api.call("DELETE", jobPath("acme", job), admin, null);
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    assertThat(body(cancelled).get("status").asText()).isEqualTo("cancelled");
    assertGone("301.4242");
    assertThat(awaitEnd("acme", job).get("error").asText()).startsWith("cancelled by user ");
    assertThat(logMessages("acme", job)).anyMatch(m -> m.matches("cancelled: stopping the plugin's [0-9]+ "
        + "process\\(es\\) \\(SIGTERM, SIGKILL 2 s later\\)"));
    JsonNode audit = body(api.call("GET", "/api/v1/tenants/acme/audit-log?per_page=500", admin, null));
    assertThat(audit.get("items").findValuesAsText("action")).contains("job.cancelled");
  }

  @Test
  void theDeadlineKillsProcessesThatDetached() throws Exception {
    JsonNode done = awaitEnd("acme", create("acme", Map.of("name", "detaches", "plugins", List.of("detaches"),
        "config", Map.of("timeout_seconds", 2))));
    assertThat(done.get("error").asText()).isEqualTo("the job did not finish within its deadline of 2 s");
    assertGone("302.4242");
  }

  @Test
  void aPluginThatLeavesProcessesBehindFailsAndTheyAreKilled() throws Exception {
    long start = System.nanoTime();
    JsonNode done = awaitEnd("acme", create("acme", Map.of("name", "leaves", "plugins", List.of("leaves-children"))));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("its leftovers hold stdout open: not waited for")
        .isLessThan(Duration.ofSeconds(10));
    assertThat(done.get("status").asText()).isEqualTo("failed");
    // Each subshell has exited before the next line runs, so three are left; named as they were when the plugin
    // exited: a forked child may not have become sleep (or setsid sleep) yet.
    String left = "pid [0-9]+ (sleep|setsid|leaves-children)";
    assertThat(done.get("error").asText()).matches("plugin leaves-children exited, leaving 3 processes behind \\("
        + left + ", " + left + ", " + left + "\\); they were killed");
    assertThat(logMessages("acme", done)).contains("done");
    assertGone("303.4242");
  }

  /** No process with the marker is left (SIGKILL comes 2 s after SIGTERM; init reaps the killed a moment later). */
  private static void assertGone(String marker) {
    await().atMost(Duration.ofSeconds(5)).until(() -> processesWith(marker).isEmpty());
  }

  // The inventory plugin

  @Test
  void theInventoryPluginLoadsAYamlFileOrAnInlineInventory(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("inventory.yaml");
    Files.writeString(file, """
        nodes:
          - id: gcp:europe-west1:gcp.compute.instance:vm-1
            name: vm-1
            account_id: "proj-1"
            tags: {team: data}
          - id: gcp:europe-west1:gcp.compute.network:net-1
        edges:
          - {source_id: "gcp:europe-west1:gcp.compute.network:net-1",
             target_id: "gcp:europe-west1:gcp.compute.instance:vm-1", type: contains}
        """);
    JsonNode fromFile = awaitEnd("globex", create("globex", Map.of("name", "inventory", "plugins",
        List.of("inventory"), "config", Map.of("path", file.toString()))));
    assertThat(fromFile.get("status").asText()).as(fromFile.toString()).isEqualTo("succeeded");
    assertThat(fromFile.get("nodes").asInt()).isEqualTo(2);
    assertThat(fromFile.get("edges").asInt()).isEqualTo(1);
    JsonNode summary = body(api.call("GET", "/api/v1/tenants/globex/graph/summary", admin, null));
    assertThat(summary.get("nodes_by_provider").get("gcp").asInt()).isEqualTo(2);
    assertThat(summary.get("edges_by_type").get("contains").asInt()).isEqualTo(1);

    JsonNode inline = awaitEnd("globex", create("globex", Map.of("name", "inline", "plugins", List.of("inventory"),
        "config", Map.of("inventory", Map.of("nodes", List.of(Map.of("id", "aws:eu-west-1:aws.s3.bucket:logs")))))));
    assertThat(inline.get("nodes").asInt()).isEqualTo(1);
    JsonNode missing = awaitEnd("globex", create("globex", Map.of("name", "missing", "plugins", List.of("inventory"),
        "config", Map.of("path", dir.resolve("nowhere.yaml").toString()))));
    assertThat(missing.get("error").asText()).isEqualTo("plugin inventory exited with code 1: inventory: no "
        + "inventory file at " + dir.resolve("nowhere.yaml"));
    Path secret = Files.writeString(dir.resolve("secret.conf"), "password: hunter2-secret\n");
    JsonNode notInventory = awaitEnd("globex", create("globex", Map.of("name", "other", "plugins",
        List.of("inventory"), "config", Map.of("path", secret.toString()))));
    assertThat(notInventory.get("error").asText()).as("a file that is no inventory is not quoted")
        .endsWith("the inventory must be an object with \"nodes\" and/or \"edges\" lists and nothing else");
    assertThat(logMessages("globex", notInventory)).noneMatch(m -> m.contains("hunter2"));
  }

  // The log stream

  @Test
  void theStreamSendsTheLogAsItIsWrittenThenTheEnd() throws Exception {
    JsonNode job = create("acme", Map.of("name", "slow", "plugins", List.of("slow-log")));
    List<String[]> events = sse(jobPath("acme", job) + "/stream", null);
    List<String> steps = new ArrayList<>();
    for (String[] e : events) {
      if (e[1].equals("log") && JSON.readTree(e[2]).get("source").asText().equals("slow-log")) {
        steps.add(JSON.readTree(e[2]).get("message").asText());
      }
    }
    assertThat(steps).containsExactly("step 1", "step 2", "step 3", "step 4", "step 5");
    String[] end = events.get(events.size() - 1);
    assertThat(end[1]).isEqualTo("end");
    assertThat(JSON.readTree(end[2]).get("status").asText()).isEqualTo("succeeded");

    String third = events.stream().filter(e -> e[2].contains("step 3")).findFirst().orElseThrow()[0];
    List<String[]> resumed = sse(jobPath("acme", job) + "/stream", third);
    assertThat(resumed.get(0)[2]).as("after Last-Event-ID").contains("step 4");
  }

  // Replicas

  @Test
  void twoReplicasOnOneDatabaseRunEachJobExactlyOnce(@TempDir Path dir) throws Exception {
    Path runs = dir.resolve("runs");
    plugin("mark", "req=$(cat)\necho \"$req\" | sed 's/.*\"job_id\":\"\\([^\"]*\\)\".*/\\1/' >> " + runs
        + "\nsleep 0.3\n");
    TestApi second = TestApi.start(pg, api.databaseName(), SECRET, ADMIN, PASSWORD,
        Map.of("PLUGIN_DIR", pluginDir()));
    try {
      List<JsonNode> jobs = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        jobs.add(create("acme", Map.of("name", "mark-" + i, "plugins", List.of("mark"))));
      }
      for (JsonNode job : jobs) {
        JsonNode done = awaitEnd("acme", job);
        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        assertThat(done.get("attempts").asInt()).isEqualTo(1);
      }
      assertThat(Files.readAllLines(runs)).containsExactlyInAnyOrderElementsOf(
          jobs.stream().map(j -> j.get("id").asText()).toList());
    } finally {
      second.close();
    }
  }

  // Helpers

  private static HttpResponse<String> post(String tenant, Map<String, Object> job) throws Exception {
    return api.call("POST", "/api/v1/tenants/" + tenant + "/jobs", admin, job);
  }

  private static JsonNode create(String tenant, Map<String, Object> job) throws Exception {
    HttpResponse<String> r = post(tenant, job);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private static String jobPath(String tenant, JsonNode job) {
    return "/api/v1/tenants/" + tenant + "/jobs/" + job.get("id").asText();
  }

  private static JsonNode body(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static JsonNode awaitEnd(String tenant, JsonNode job) {
    return awaitEnd(api, admin, tenant, job);
  }

  /** The job once it has ended, read through {@code service} as {@code bearer}. */
  static JsonNode awaitEnd(TestApi service, String bearer, String tenant, JsonNode job) {
    JsonNode[] last = new JsonNode[1];
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      last[0] = body(service.call("GET", jobPath(tenant, job), bearer, null));
      return !last[0].get("status").asText().equals("running");
    });
    return last[0];
  }

  /** The job's log messages, read through the stream (which ends with the job). */
  private static List<String> logMessages(String tenant, JsonNode job) throws Exception {
    List<String> out = new ArrayList<>();
    for (String[] e : sse(jobPath(tenant, job) + "/stream", null)) {
      if (e[1].equals("log")) {
        out.add(JSON.readTree(e[2]).get("message").asText());
      }
    }
    return out;
  }

  /** The events of a stream until it ends: {id, event, data}. */
  private static List<String[]> sse(String path, String lastEventId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.app().port() + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + admin);
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
    List<String[]> events = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String[] event = new String[3];
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isEmpty()) {
          if (event[1] != null) {
            events.add(event);
          }
          event = new String[3];
        } else if (line.startsWith("id: ")) {
          event[0] = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event[1] = line.substring(7);
        } else if (line.startsWith("data: ")) {
          event[2] = line.substring(6);
        }
      }
    }
    return events;
  }

  /** Live processes whose command line contains {@code marker}, from the process table. */
  static List<ProcessHandle> processesWith(String marker) {
    return ProcessHandle.allProcesses().filter(p -> p.isAlive()
        && p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).toList();
  }
}
