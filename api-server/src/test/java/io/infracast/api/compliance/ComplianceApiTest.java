package io.infracast.api.compliance;

import static io.infracast.api.TestApi.JSON;
import static io.infracast.api.TestApi.error;
import static io.infracast.api.TestApi.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Findings against a real PostgreSQL 15: every starter rule on a failing and a compliant node, each list filter,
 * accept and resolve, findings kept across evaluations, tenant isolation, and a rule pack folder reloaded without
 * a restart, where a malformed pack leaves the previous one active.
 */
class ComplianceApiTest {
  private static final String ADMIN = "root@example.test";
  private static final String PASSWORD = "compliance-password-1";
  private static final String WORKLOAD = "k8s.deployment";

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  @TempDir
  static Path rulesDir;
  private static TestApi api;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    Files.writeString(rulesDir.resolve("custom.yaml"), customPack("red"));
    api = TestApi.start(pg, pg.createDatabase(), "compliance-test-secret-0123456789-abcdefghijkl", ADMIN, PASSWORD,
        Map.of("RULES_DIR", rulesDir.toString(), "RULES_RELOAD_SECONDS", "1", "PLUGIN_DIR",
            Path.of("plugins").toAbsolutePath().toString()));
    admin = api.login(ADMIN, PASSWORD).get("access_token").asText();
    api.createTenants(admin, "starter", "filters", "lifecycle", "other", "reload", "discovered", "partial");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  // Each starter rule fails on a node made to break it, and not on the same node made compliant

  /** A rule of the built-in pack, the node type it is shown on, and what breaks a compliant node of that type. */
  record Case(String rule, String type, Consumer<ObjectNode> breakIt) {}

  private static final List<Case> CASES = List.of(
      new Case("K8S-001", WORKLOAD, p -> container(p).put("privileged", true)),
      new Case("K8S-002", WORKLOAD, p -> container(p).put("allow_privilege_escalation", true)),
      new Case("K8S-003", WORKLOAD, p -> container(p).put("run_as_non_root", false).remove("run_as_user")),
      new Case("K8S-004", WORKLOAD, p -> container(p).put("has_memory_limit", false)),
      new Case("K8S-005", WORKLOAD, p -> container(p).put("has_cpu_request", false)),
      new Case("K8S-006", WORKLOAD, p -> container(p).putArray("secret_env_from").add("db-creds")),
      new Case("K8S-007", WORKLOAD, p -> p.put("host_network", true)),
      new Case("K8S-008", "k8s.daemonset", p -> p.put("host_pid", true)),
      new Case("K8S-009", "k8s.statefulset", p -> p.put("host_ipc", true)),
      new Case("K8S-010", WORKLOAD, p -> container(p).putArray("capabilities_add").add("SYS_ADMIN")),
      new Case("K8S-011", WORKLOAD, p -> container(p).put("read_only_root_filesystem", false)),
      new Case("K8S-012", WORKLOAD, p -> container(p).put("image_tag", "latest")),
      new Case("K8S-013", WORKLOAD, p -> p.put("service_account_name", "default")),
      new Case("K8S-014", WORKLOAD, p -> p.put("automount_service_account_token", true)),
      new Case("K8S-015", "k8s.serviceaccount", p -> p.put("automount_service_account_token", true)),
      new Case("K8S-016", "k8s.clusterrole", p -> rule(p).putArray("verbs").add("*")),
      new Case("K8S-017", "k8s.role", p -> rule(p).putArray("resources").add("*")),
      new Case("K8S-018", "k8s.clusterrolebinding", p -> ((ObjectNode) p.get("role_ref")).put("name",
          "cluster-admin")),
      new Case("K8S-019", "k8s.service", p -> p.put("service_type", "LoadBalancer")
          .putArray("load_balancer_source_ranges").add("0.0.0.0/0")),
      new Case("K8S-020", "k8s.service", p -> p.put("service_type", "NodePort")),
      new Case("K8S-021", "k8s.ingress", p -> p.put("tls", false)),
      new Case("K8S-022", "k8s.role", p -> rule(p).putArray("resources").add("secrets")),
      new Case("K8S-023", "k8s.daemonset", p -> p.putArray("host_path_volumes").add("/var/run/docker.sock")),
      new Case("K8S-024", "k8s.namespace", p -> p.remove("pod_security_enforce")),
      new Case("K8S-025", "k8s.rolebinding", p -> ((ObjectNode) p.get("subjects").get(0))
          .put("kind", "Group").put("name", "system:unauthenticated")),
      new Case("K8S-026", WORKLOAD, p -> p.put("namespace", "default")));

  @Test
  void everyStarterRuleFailsItsBrokenNodeAndPassesItsCompliantOne() throws Exception {
    Set<String> starter = new TreeSet<>();
    new YAMLMapper().readTree(getClass().getResourceAsStream("/io/infracast/api/compliance/rules/kubernetes.yaml"))
        .get("rules").forEach(r -> starter.add(r.get("id").asText()));
    assertThat(CASES.stream().map(Case::rule).toList()).as("a case for every rule of the pack")
        .containsExactlyInAnyOrderElementsOf(starter).hasSizeGreaterThanOrEqualTo(20);

    List<Map<String, Object>> nodes = new ArrayList<>();
    for (Case c : CASES) {
      nodes.add(node(c.type(), "ok-" + c.rule(), compliant(c.type())));
      ObjectNode broken = compliant(c.type());
      c.breakIt().accept(broken);
      nodes.add(node(c.type(), "bad-" + c.rule(), broken));
    }
    ingest("starter", nodes);
    JsonNode run = run("starter");
    assertThat(run.get("rules").asInt()).isGreaterThanOrEqualTo(starter.size());
    assertThat(run.get("nodes_evaluated").asInt()).isEqualTo(nodes.size());

    JsonNode all = list("starter", "per_page=500");
    List<String> problems = new ArrayList<>();
    for (Case c : CASES) {
      List<String> fired = new ArrayList<>();
      all.get("items").forEach(f -> {
        if (f.get("rule_id").asText().equals(c.rule())) {
          fired.add(f.get("node_name").asText());
        }
      });
      if (!fired.contains("bad-" + c.rule())) {
        problems.add(c.rule() + " did not fire on its broken " + c.type());
      }
      if (fired.contains("ok-" + c.rule())) {
        problems.add(c.rule() + " fired on its compliant " + c.type());
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void k8s003AlsoCatchesAnExplicitRootUser() throws Exception {
    ObjectNode root = compliant(WORKLOAD);
    container(root).put("run_as_user", 0);
    ingest("other", List.of(node(WORKLOAD, "root-user", root)));
    run("other");
    assertThat(list("other", "control_id=5.2.7").get("items").findValuesAsText("node_name"))
        .containsExactly("root-user");
  }

  // Filters

  @Test
  void eachFilterNarrowsTheList() throws Exception {
    ObjectNode web = compliant(WORKLOAD);
    web.put("host_network", true); // K8S-007: HIGH, CIS 5.2.5 and NIST SC-7
    ObjectNode lb = compliant("k8s.service");
    lb.put("service_type", "NodePort"); // K8S-020: LOW, CIS 5.3.2
    ObjectNode admins = compliant("k8s.clusterrolebinding");
    ((ObjectNode) admins.get("role_ref")).put("name", "cluster-admin"); // K8S-018: CRITICAL
    ingest("filters", List.of(node(WORKLOAD, "web", web), node("k8s.service", "edge-100%", lb),
        node("k8s.clusterrolebinding", "ops", admins)));
    assertThat(run("filters").get("matched").asInt()).isEqualTo(3);
    List<String> versions = rowVersions();
    JsonNode again = run("filters");
    assertThat(List.of(again.get("matched").asInt(), again.get("created").asInt(), again.get("reopened").asInt(),
        again.get("resolved").asInt())).as("the same graph again").containsExactly(3, 0, 0, 0);
    assertThat(rowVersions()).as("an unchanged finding is not written again").isEqualTo(versions);

    JsonNode page = list("filters", "");
    assertThat(page.get("total").asInt()).isEqualTo(3);
    assertThat(page.get("page").asInt()).isEqualTo(1);
    assertThat(page.get("per_page").asInt()).isEqualTo(50);
    assertThat(page.get("total_pages").asInt()).isEqualTo(1);
    assertThat(page.get("items").findValuesAsText("rule_id")).as("riskiest first")
        .containsExactly("K8S-018", "K8S-007", "K8S-020");
    JsonNode f = page.get("items").get(0);
    assertThat(f.get("severity").asText()).isEqualTo("CRITICAL");
    assertThat(f.get("risk_score").asInt()).isEqualTo(90);
    assertThat(f.get("framework").asText()).isEqualTo("CIS Kubernetes");
    assertThat(f.get("control_id").asText()).isEqualTo("5.1.1");
    assertThat(f.get("controls").toString()).contains("{\"framework\":\"NIST 800-53\",\"control_id\":\"AC-6\"}");
    assertThat(f.get("node_id").asText()).isEqualTo("k8s:test:k8s.clusterrolebinding:ops");
    assertThat(f.get("resource_type").asText()).isEqualTo("k8s.clusterrolebinding");
    assertThat(f.get("remediation").asText()).isNotBlank();
    assertThat(f.get("status").asText()).isEqualTo("open");

    assertThat(names("filters", "framework=" + enc("NIST 800-53"))).containsExactly("ops", "web");
    assertThat(names("filters", "framework=nist")).isEmpty();
    assertThat(names("filters", "severity=critical,low")).containsExactly("ops", "edge-100%");
    assertThat(names("filters", "status=open")).hasSize(3);
    assertThat(names("filters", "status=accepted,resolved")).isEmpty();
    assertThat(names("filters", "resource_type=k8s.service")).containsExactly("edge-100%");
    assertThat(names("filters", "control_id=SC-7")).containsExactly("web");
    assertThat(names("filters", "search=NODEPORT")).as("the title, case-insensitively").containsExactly("edge-100%");
    assertThat(names("filters", "search=" + enc("100%"))).containsExactly("edge-100%");
    assertThat(names("filters", "search=" + enc("1_0"))).as("_ is literal").isEmpty();
    assertThat(names("filters", "sort=rule_id")).containsExactly("web", "ops", "edge-100%");
    assertThat(names("filters", "severity=HIGH&resource_type=k8s.service")).isEmpty();

    HttpResponse<String> badSeverity = get("filters", "findings?severity=URGENT");
    assertThat(message(badSeverity)).isEqualTo("severity 'URGENT' is not one of CRITICAL, HIGH, MEDIUM, LOW, INFO");
    HttpResponse<String> badStatus = get("filters", "findings?status=closed");
    assertThat(message(badStatus)).isEqualTo("status 'closed' is not one of accepted, open, resolved");
    HttpResponse<String> badSort = get("filters", "findings?sort=-color");
    assertThat(JSON.readTree(badSort.body()).get("error").get("details").get("reason").asText())
        .isEqualTo("unknown_sort_field");
  }

  // Lifecycle: stable findings, accept, resolve

  @Test
  void findingsAreStableAcrossRunsAcceptedStayAcceptedAndFixedOnesResolve() throws Exception {
    ObjectNode bad = compliant(WORKLOAD);
    bad.put("host_network", true).put("host_pid", true).put("host_ipc", true);
    ingest("lifecycle", List.of(node(WORKLOAD, "shared", bad)));
    JsonNode first = run("lifecycle");
    assertThat(first.get("created").asInt()).isEqualTo(3);
    Map<String, String> ids = idsByRule("lifecycle");
    assertThat(ids).containsOnlyKeys("K8S-007", "K8S-008", "K8S-009");

    HttpResponse<String> accepted = post("lifecycle", "findings/" + ids.get("K8S-007") + "/accept",
        Map.of("reason", "the CNI agent needs the host network"));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    JsonNode a = JSON.readTree(accepted.body());
    assertThat(a.get("status").asText()).isEqualTo("accepted");
    assertThat(a.get("status_reason").asText()).isEqualTo("the CNI agent needs the host network");
    assertThat(a.get("status_changed_by").asText()).isNotEmpty();
    HttpResponse<String> resolved = api.send("POST", "/api/v1/tenants/lifecycle/findings/" + ids.get("K8S-008")
        + "/resolve", admin, null);
    assertThat(resolved.statusCode()).as("no body is fine").isEqualTo(200);
    assertThat(JSON.readTree(resolved.body()).get("status").asText()).isEqualTo("resolved");

    JsonNode second = run("lifecycle");
    assertThat(second.get("created").asInt()).isZero();
    assertThat(second.get("reopened").asInt()).as("resolved by hand but still failing").isEqualTo(1);
    assertThat(idsByRule("lifecycle")).isEqualTo(ids);
    assertThat(status("lifecycle", ids.get("K8S-007"))).isEqualTo("accepted");
    JsonNode reopened = finding("lifecycle", ids.get("K8S-008"));
    assertThat(reopened.get("status").asText()).isEqualTo("open");
    assertThat(reopened.get("status_reason").asText()).isEqualTo("matches again");

    ingest("lifecycle", List.of(node(WORKLOAD, "shared", compliant(WORKLOAD))));
    JsonNode fixed = run("lifecycle");
    assertThat(fixed.get("resolved").asInt()).isEqualTo(2);
    JsonNode gone = finding("lifecycle", ids.get("K8S-009"));
    assertThat(gone.get("status").asText()).isEqualTo("resolved");
    assertThat(gone.get("status_reason").asText()).isEqualTo("no longer matches");
    assertThat(gone.get("status_changed_by").isNull()).isTrue();
    assertThat(status("lifecycle", ids.get("K8S-007"))).as("accepted stays accepted").isEqualTo("accepted");

    ingest("lifecycle", List.of(node(WORKLOAD, "shared", bad)));
    JsonNode again = run("lifecycle");
    assertThat(again.get("reopened").asInt()).isEqualTo(2);
    assertThat(again.get("created").asInt()).isZero();
    assertThat(idsByRule("lifecycle")).isEqualTo(ids);

    JsonNode audit = JSON.readTree(api.call("GET", "/api/v1/tenants/lifecycle/audit-log?per_page=500", admin,
        null).body());
    assertThat(audit.get("items").findValuesAsText("action"))
        .contains("finding.accepted", "finding.resolved", "findings.evaluated");
    JsonNode acceptEntry = null;
    for (JsonNode e : audit.get("items")) {
      if (e.get("action").asText().equals("finding.accepted")) {
        acceptEntry = e;
      }
    }
    assertThat(acceptEntry.get("target_id").asText()).isEqualTo(ids.get("K8S-007"));
    assertThat(acceptEntry.get("details").get("from").asText()).isEqualTo("open");

    HttpResponse<String> tooLong = post("lifecycle", "findings/" + ids.get("K8S-007") + "/accept",
        Map.of("reason", "x".repeat(2001)));
    assertThat(message(tooLong)).isEqualTo("field 'reason' is longer than 2000 characters");
    assertThat(error(post("lifecycle", "findings/" + ids.get("K8S-007") + "/accept", Map.of("color", "red"))))
        .isEqualTo("BAD_REQUEST");
  }

  @Test
  void anotherTenantsFindingIsNotFound() throws Exception {
    ObjectNode bad = compliant(WORKLOAD);
    bad.put("host_pid", true);
    ingest("other", List.of(node(WORKLOAD, "theirs", bad)));
    run("other");
    String theirs = idsByRule("other").get("K8S-008");
    assertThat(get("other", "findings/" + theirs).statusCode()).isEqualTo(200);
    for (HttpResponse<String> r : List.of(get("filters", "findings/" + theirs),
        post("filters", "findings/" + theirs + "/accept", Map.of()),
        post("filters", "findings/" + theirs + "/resolve", Map.of()),
        get("filters", "findings/not-a-uuid"))) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
      assertThat(error(r)).isEqualTo("NOT_FOUND");
    }
    assertThat(list("filters", "per_page=500").get("items").findValuesAsText("id")).doesNotContain(theirs);
    assertThat(status("other", theirs)).as("untouched by the foreign calls").isEqualTo("open");
  }

  // After a discovery job

  @Test
  void aDiscoveryJobThatSucceedsEvaluatesItsTenant() throws Exception {
    ObjectNode privileged = compliant(WORKLOAD);
    container(privileged).put("privileged", true);
    HttpResponse<String> job = post("discovered", "jobs", Map.of("name", "inventory", "plugins", List.of("inventory"),
        "config", Map.of("inventory", Map.of("nodes", List.of(node(WORKLOAD, "privileged", privileged))))));
    assertThat(job.statusCode()).as(job.body()).isEqualTo(201);

    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> idsByRule("discovered").containsKey("K8S-001"));
    JsonNode found = finding("discovered", idsByRule("discovered").get("K8S-001"));
    assertThat(found.get("node_name").asText()).isEqualTo("privileged");
    assertThat(found.get("status").asText()).isEqualTo("open");
    List<String> evaluatedBy = new ArrayList<>();
    JSON.readTree(get("discovered", "audit-log?per_page=500").body()).get("items").forEach(e -> {
      if (e.get("action").asText().equals("findings.evaluated")) {
        evaluatedBy.add(e.get("actor_type").asText());
      }
    });
    assertThat(evaluatedBy).as("evaluated by the job's worker, nobody ran it").containsExactly("system");
  }

  @Test
  void aDiscoveryJobThatFailsAfterWritingNodesEvaluatesItsTenantToo() throws Exception {
    // Nodes are written a thousand at a time as they come: these are, before the edge after them fails the job.
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      ObjectNode properties = compliant(WORKLOAD);
      container(properties).put("privileged", i == 500);
      nodes.add(node(WORKLOAD, "w" + i, properties));
    }
    // In this order (Map.of's order changes from one JVM to the next): the plugin emits the file as it reads it.
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("nodes", nodes);
    content.put("edges", List.of(Map.of("source_id", "a", "target_id", "b", "type", "no-such-type")));
    Path inventory = Files.writeString(rulesDir.resolve("partial.json.inventory"), JSON.writeValueAsString(content));
    HttpResponse<String> job = post("partial", "jobs", Map.of("name", "inventory", "plugins", List.of("inventory"),
        "config", Map.of("path", inventory.toString())));
    assertThat(job.statusCode()).as(job.body()).isEqualTo(201);

    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> idsByRule("partial").containsKey("K8S-001"));
    assertThat(finding("partial", idsByRule("partial").get("K8S-001")).get("node_name").asText()).isEqualTo("w500");
    JsonNode ended = JSON.readTree(get("partial", "jobs/" + JSON.readTree(job.body()).get("id").asText()).body());
    assertThat(ended.get("status").asText()).isEqualTo("failed");
    assertThat(ended.get("error").asText()).contains("no-such-type");
  }

  // Rule packs from RULES_DIR

  @Test
  void aChangedPackIsReloadedAndAMalformedOneLeavesThePreviousActive() throws Exception {
    ingest("reload", List.of(Map.of("id", "custom:test:custom.thing:one", "name", "one",
        "properties", Map.of("color", "red"))));
    run("reload");
    String id = idsByRule("reload").get("CUSTOM-1");
    assertThat(id).as("the folder's pack is active at start").isNotNull();

    Files.writeString(rulesDir.resolve("custom.yaml"), "pack: custom\nrules: [ {id: CUSTOM-1, title: broken");
    Thread.sleep(2_500); // two looks at the folder
    assertThat(run("reload").get("resolved").asInt()).as("the previous version still matches").isZero();
    assertThat(status("reload", id)).isEqualTo("open");

    Files.writeString(rulesDir.resolve("custom.yaml"), customPack("blue"));
    Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
        .until(() -> run("reload").get("resolved").asInt() == 1);
    assertThat(status("reload", id)).isEqualTo("resolved");
  }

  // Helpers

  private static String customPack(String color) {
    return "pack: custom\nrules:\n  - id: CUSTOM-1\n    title: The thing is " + color + "\n    severity: INFO\n"
        + "    frameworks: [{framework: House rules, control: H-1}]\n    node_types: [custom.thing]\n"
        + "    condition: {path: properties.color, equals: " + color + "}\n    remediation: Paint it.\n";
  }

  /** A node of {@code type} that passes every starter rule. */
  private static ObjectNode compliant(String type) {
    ObjectNode p = JSON.createObjectNode();
    p.put("namespace", "shop");
    switch (type) {
      case "k8s.deployment", "k8s.statefulset", "k8s.daemonset" -> {
        p.put("service_account_name", "app").put("automount_service_account_token", false)
            .put("host_network", false).put("host_pid", false).put("host_ipc", false);
        p.putArray("host_path_volumes");
        ObjectNode c = p.putArray("containers").addObject();
        c.put("name", "app").put("image", "registry.example/app:1.2.3").put("image_tag", "1.2.3")
            .put("privileged", false).put("allow_privilege_escalation", false).put("run_as_non_root", true)
            .put("run_as_user", 10001).put("read_only_root_filesystem", true).put("has_cpu_request", true)
            .put("has_memory_request", true).put("has_cpu_limit", true).put("has_memory_limit", true);
        c.putArray("capabilities_add").add("NET_BIND_SERVICE");
        c.putArray("secret_env");
        c.putArray("secret_env_from");
      }
      case "k8s.serviceaccount" -> p.put("automount_service_account_token", false);
      case "k8s.role", "k8s.clusterrole" -> {
        ObjectNode r = p.putArray("rules").addObject();
        r.putArray("verbs").add("get").add("list");
        r.putArray("resources").add("configmaps");
      }
      case "k8s.rolebinding", "k8s.clusterrolebinding" -> {
        p.putObject("role_ref").put("kind", "ClusterRole").put("name", "view");
        p.putArray("subjects").addObject().put("kind", "ServiceAccount").put("name", "app");
      }
      case "k8s.service" -> {
        p.put("service_type", "LoadBalancer");
        p.putArray("load_balancer_source_ranges").add("10.0.0.0/8");
      }
      case "k8s.ingress" -> p.put("tls", true);
      case "k8s.namespace" -> p.put("pod_security_enforce", "restricted");
      default -> throw new IllegalArgumentException(type);
    }
    return p;
  }

  private static ObjectNode container(ObjectNode workload) {
    return (ObjectNode) workload.get("containers").get(0);
  }

  private static ObjectNode rule(ObjectNode role) {
    return (ObjectNode) role.get("rules").get(0);
  }

  private static Map<String, Object> node(String type, String name, ObjectNode properties) {
    return Map.of("id", "k8s:test:" + type + ":" + name, "name", name, "properties", properties);
  }

  private static void ingest(String tenant, List<Map<String, Object>> nodes) throws Exception {
    HttpResponse<String> r = post(tenant, "nodes/bulk", Map.of("nodes", nodes));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static JsonNode run(String tenant) throws Exception {
    HttpResponse<String> r = post(tenant, "findings/run", Map.of());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static JsonNode list(String tenant, String query) throws Exception {
    HttpResponse<String> r = get(tenant, "findings?" + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<String> names(String tenant, String query) throws Exception {
    return list(tenant, query).get("items").findValuesAsText("node_name");
  }

  private static Map<String, String> idsByRule(String tenant) throws Exception {
    Map<String, String> ids = new LinkedHashMap<>();
    list(tenant, "per_page=500&sort=rule_id").get("items").forEach(f -> ids.put(f.get("rule_id").asText(),
        f.get("id").asText()));
    return ids;
  }

  private static JsonNode finding(String tenant, String id) throws Exception {
    HttpResponse<String> r = get(tenant, "findings/" + id);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static String status(String tenant, String id) throws Exception {
    return finding(tenant, id).get("status").asText();
  }

  private static HttpResponse<String> get(String tenant, String path) throws Exception {
    return api.call("GET", "/api/v1/tenants/" + tenant + "/" + path, admin, null);
  }

  private static HttpResponse<String> post(String tenant, String path, Object body) throws Exception {
    return api.call("POST", "/api/v1/tenants/" + tenant + "/" + path, admin, body);
  }

  /** Each finding row's version (xmin): it changes whenever the row is written. */
  private static List<String> rowVersions() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = pg.connect(api.databaseName()); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select id::text || ' ' || xmin::text from findings order by id")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
