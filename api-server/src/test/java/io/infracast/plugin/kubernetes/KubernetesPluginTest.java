package io.infracast.plugin.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.infracast.api.TestApi;
import io.infracast.api.TestPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin against a real kube-apiserver (kube-api-test, binaries from testenv/): its launcher script is run with
 * the stdin protocol, as the job runner runs it, under a ServiceAccount token bound to the documented ClusterRole,
 * so the RBAC in {@code api-server/plugins/kubernetes-rbac.yaml} is shown to be enough.
 */
class KubernetesPluginTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VERSION = System.getProperty("infracast.kube.version", "1.34.4");
  private static final Path TEST_DIR = Path.of(System.getenv().getOrDefault("KUBE_API_TEST_DIR",
      Path.of(System.getProperty("user.home"), ".kubeapitest").toString()));
  private static final String C = "k8s:prod-eu:";

  @RegisterExtension
  static final TestPostgres pg = TestPostgres.perClass();
  @TempDir
  static Path work;
  private static KubeAPIServer server;
  private static Path kubeconfig;
  private static String apiServerUrl;
  private static String caPem;
  private static Result full;

  /** What one run of the plugin wrote. */
  record Result(int exit, Map<String, JsonNode> nodes, List<String> edges, List<String> logs, String raw) {
    JsonNode props(String id) {
      assertThat(nodes).containsKey(id);
      return nodes.get(id).get("properties");
    }
  }

  @BeforeAll
  static void cluster() throws Exception {
    server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig().withTestDir(TEST_DIR.toString())
        .withApiServerVersion(VERSION).withOfflineMode(true).withUpdateKubeConfig(false)
        .withStartupTimeout(120_000).build());
    server.start();
    String yaml = server.getKubeConfigYaml();
    kubeconfig = work.resolve("kubeconfig");
    Files.writeString(kubeconfig, yaml);
    JsonNode cluster = new YAMLMapper().readTree(yaml).path("clusters").get(0).path("cluster");
    apiServerUrl = cluster.path("server").asText();
    caPem = cluster.has("certificate-authority-data")
        ? new String(Base64.getDecoder().decode(cluster.get("certificate-authority-data").asText()),
            StandardCharsets.US_ASCII)
        : Files.readString(Path.of(cluster.path("certificate-authority").asText()));
    kubectl(null, "apply", "-f", Path.of("plugins", "kubernetes-rbac.yaml").toString());
    kubectl(Files.readString(Path.of("src/test/resources/kubernetes-plugin/cluster.yaml")), "apply", "-f", "-");
    full = plugin(Map.of("cluster", "prod-eu"), token("discovery"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void emitsEveryKindWithItsId() {
    assertThat(full.exit()).as(full.logs().toString()).isZero();
    assertThat(full.nodes()).containsKeys(C + "k8s.namespace:shop", C + "k8s.deployment:shop/web",
        C + "k8s.deployment:shop/api", C + "k8s.statefulset:shop/db", C + "k8s.daemonset:shop/agent",
        C + "k8s.service:shop/web-lb", C + "k8s.ingress:shop/web", C + "k8s.secret:shop/db-creds",
        C + "k8s.serviceaccount:shop/api", C + "k8s.serviceaccount:shop/default", C + "k8s.role:shop/secret-reader",
        C + "k8s.rolebinding:shop/api-reads-secrets", C + "k8s.clusterrole:too-much",
        C + "k8s.clusterrole:cluster-admin", C + "k8s.clusterrolebinding:api-is-admin");
    JsonNode web = full.nodes().get(C + "k8s.deployment:shop/web");
    assertThat(web.get("provider").asText()).isEqualTo("k8s");
    assertThat(web.get("region").asText()).isEqualTo("prod-eu");
    assertThat(web.get("name").asText()).isEqualTo("web");
    assertThat(web.get("tags").get("app").asText()).isEqualTo("web");
    assertThat(full.nodes().values()).allSatisfy(n ->
        assertThat(n.get("id").asText()).startsWith("k8s:prod-eu:" + n.get("type").asText() + ":"));
    assertThat(full.logs()).anyMatch(l -> l.startsWith("info: discovered "));
  }

  @Test
  void workloadsCarryTheirPodTemplatesSecurity() {
    JsonNode web = full.props(C + "k8s.deployment:shop/web");
    JsonNode c = web.get("containers").get(0);
    assertThat(c.get("image_tag").asText()).isEqualTo("latest");
    assertThat(c.get("privileged").asBoolean()).isTrue();
    assertThat(c.get("allow_privilege_escalation").asBoolean()).isTrue();
    assertThat(c.get("run_as_non_root").asBoolean()).isFalse();
    assertThat(c.get("capabilities_add").toString()).isEqualTo("[\"NET_ADMIN\"]");
    assertThat(c.get("has_memory_limit").asBoolean()).isFalse();
    assertThat(c.get("secret_env").toString()).isEqualTo("[\"db-creds\"]");
    assertThat(c.get("secret_env_from").toString()).isEqualTo("[\"db-creds\"]");
    assertThat(web.get("host_network").asBoolean()).isTrue();
    assertThat(web.get("service_account_name").asText()).isEqualTo("default");
    assertThat(web.get("automount_service_account_token").asBoolean()).isTrue();
    assertThat(web.get("replicas").asInt()).isEqualTo(2);

    JsonNode api = full.props(C + "k8s.deployment:shop/api");
    JsonNode hardened = api.get("containers").get(0);
    assertThat(hardened.get("privileged").asBoolean()).isFalse();
    assertThat(hardened.get("allow_privilege_escalation").asBoolean()).isFalse();
    assertThat(hardened.get("run_as_non_root").asBoolean()).as("from the pod's security context").isTrue();
    assertThat(hardened.get("run_as_user").asLong()).isEqualTo(10001);
    assertThat(hardened.get("read_only_root_filesystem").asBoolean()).isTrue();
    assertThat(hardened.get("image_tag").asText()).isEqualTo("1.4.2");
    assertThat(hardened.get("has_cpu_limit").asBoolean()).isTrue();
    assertThat(hardened.get("has_memory_request").asBoolean()).isTrue();
    assertThat(api.get("automount_service_account_token").asBoolean()).as("from its ServiceAccount").isFalse();

    JsonNode agent = full.props(C + "k8s.daemonset:shop/agent");
    assertThat(agent.get("host_pid").asBoolean()).isTrue();
    assertThat(agent.get("host_path_volumes").toString()).isEqualTo("[\"/\"]");
    assertThat(agent.get("containers").get(0).get("image_pinned_by_digest").asBoolean()).isTrue();
    assertThat(full.props(C + "k8s.statefulset:shop/db").get("containers").get(0).get("run_as_user").asLong())
        .isZero();
  }

  @Test
  void servicesIngressesAndRbacAreDescribed() {
    JsonNode lb = full.props(C + "k8s.service:shop/web-lb");
    assertThat(lb.get("service_type").asText()).isEqualTo("LoadBalancer");
    assertThat(lb.get("load_balancer_source_ranges")).isEmpty();
    assertThat(lb.get("ports").get(0).get("port").asInt()).isEqualTo(80);
    JsonNode ingress = full.props(C + "k8s.ingress:shop/web");
    assertThat(ingress.get("tls").asBoolean()).isFalse();
    assertThat(ingress.get("hosts").toString()).isEqualTo("[\"shop.example\"]");
    JsonNode wildcard = full.props(C + "k8s.clusterrole:too-much").get("rules").get(0);
    assertThat(wildcard.get("verbs").toString()).isEqualTo("[\"*\"]");
    JsonNode binding = full.props(C + "k8s.clusterrolebinding:api-is-admin");
    assertThat(binding.get("role_ref").get("name").asText()).isEqualTo("cluster-admin");
    assertThat(binding.get("subjects").get(0).get("kind").asText()).isEqualTo("ServiceAccount");
    assertThat(full.props(C + "k8s.namespace:shop").get("pod_security_enforce").asText()).isEqualTo("baseline");
    assertThat(full.props(C + "k8s.serviceaccount:shop/api").get("automount_service_account_token").asBoolean())
        .isFalse();
  }

  @Test
  void secretsAreReadAsMetadataOnly() {
    JsonNode secret = full.props(C + "k8s.secret:shop/db-creds");
    assertThat(secret.get("secret_type").asText()).isEqualTo("Opaque");
    assertThat(secret.get("key_count").asInt()).isEqualTo(2);
    assertThat(secret.get("keys").toString()).isEqualTo("[\"password\",\"username\"]");
    // kubectl's last-applied annotation holds the values: only annotation names are kept.
    assertThat(secret.get("annotation_keys").toString()).contains("kubectl.kubernetes.io/last-applied-configuration");
    for (String value : List.of("s3cr3t-plain-value", "shop-user-value")) {
      assertThat(full.raw()).doesNotContain(value)
          .doesNotContain(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void edgesLinkWhatDependsOnWhat() {
    assertThat(full.edges()).contains(
        "contains " + C + "k8s.namespace:shop -> " + C + "k8s.deployment:shop/web",
        "executes_as " + C + "k8s.deployment:shop/web -> " + C + "k8s.serviceaccount:shop/default",
        "executes_as " + C + "k8s.deployment:shop/api -> " + C + "k8s.serviceaccount:shop/api",
        "depends_on " + C + "k8s.deployment:shop/web -> " + C + "k8s.secret:shop/db-creds",
        "routes_to " + C + "k8s.ingress:shop/web -> " + C + "k8s.service:shop/web-lb",
        "routes_to " + C + "k8s.service:shop/web-lb -> " + C + "k8s.deployment:shop/web",
        "depends_on " + C + "k8s.clusterrolebinding:api-is-admin -> " + C + "k8s.clusterrole:cluster-admin",
        "member_of " + C + "k8s.serviceaccount:shop/api -> " + C + "k8s.clusterrolebinding:api-is-admin",
        "depends_on " + C + "k8s.rolebinding:shop/api-reads-secrets -> " + C + "k8s.role:shop/secret-reader");
    assertThat(full.edges()).noneMatch(e -> e.startsWith("routes_to " + C + "k8s.service:shop/web-lb -> "
        + C + "k8s.deployment:shop/api"));
    List<String> dangling = new ArrayList<>();
    for (String e : full.edges()) {
      String[] ends = e.substring(e.indexOf(' ') + 1).split(" -> ");
      if (!full.nodes().containsKey(ends[0]) || !full.nodes().containsKey(ends[1])) {
        dangling.add(e);
      }
    }
    assertThat(dangling).isEmpty();
  }

  /**
   * The plugin's output as the job runner hands it on: ingested through the asset graph API (its ids and edges
   * are accepted as they are), then evaluated by the built-in rule pack.
   */
  @Test
  void itsOutputIngestsAndTheStarterRulesJudgeIt() throws Exception {
    try (TestApi api = TestApi.start(pg, "plugin-test-secret-0123456789-abcdefghijkl", "root@example.test",
        "plugin-password-1")) {
      String admin = api.login("root@example.test", "plugin-password-1").get("access_token").asText();
      api.createTenants(admin, "acme");
      List<JsonNode> edges = new ArrayList<>();
      for (String line : full.raw().split("\n")) {
        JsonNode l = JSON.readTree(line);
        if (l.has("edge")) {
          edges.add(l.get("edge"));
        }
      }
      HttpResponse<String> nodes = api.call("POST", "/api/v1/tenants/acme/nodes/bulk", admin,
          Map.of("nodes", full.nodes().values()));
      assertThat(nodes.statusCode()).as(nodes.body()).isEqualTo(200);
      HttpResponse<String> links = api.call("POST", "/api/v1/tenants/acme/edges/bulk", admin,
          Map.of("edges", edges));
      assertThat(links.statusCode()).as(links.body()).isEqualTo(200);
      assertThat(api.call("POST", "/api/v1/tenants/acme/findings/run", admin, Map.of()).statusCode())
          .isEqualTo(200);
      JsonNode findings = JSON.readTree(api.call("GET", "/api/v1/tenants/acme/findings?per_page=500", admin, null)
          .body());
      List<String> found = new ArrayList<>();
      findings.get("items").forEach(f -> found.add(f.get("rule_id").asText() + " " + f.get("node_id").asText()));
      assertThat(found).contains("K8S-001 " + C + "k8s.deployment:shop/web",
          "K8S-006 " + C + "k8s.deployment:shop/web", "K8S-007 " + C + "k8s.deployment:shop/web",
          "K8S-012 " + C + "k8s.deployment:shop/web", "K8S-013 " + C + "k8s.deployment:shop/web",
          "K8S-003 " + C + "k8s.statefulset:shop/db", "K8S-008 " + C + "k8s.daemonset:shop/agent",
          "K8S-023 " + C + "k8s.daemonset:shop/agent", "K8S-016 " + C + "k8s.clusterrole:too-much",
          "K8S-018 " + C + "k8s.clusterrolebinding:api-is-admin", "K8S-019 " + C + "k8s.service:shop/web-lb",
          "K8S-021 " + C + "k8s.ingress:shop/web", "K8S-022 " + C + "k8s.role:shop/secret-reader",
          "K8S-024 " + C + "k8s.namespace:elsewhere");
      assertThat(found).as("the hardened deployment passes its workload rules")
          .noneMatch(f -> f.endsWith(" " + C + "k8s.deployment:shop/api"))
          .doesNotContain("K8S-024 " + C + "k8s.namespace:shop", "K8S-015 " + C + "k8s.serviceaccount:shop/api");
    }
  }

  @Test
  void namespacesInTheConfigLimitWhatIsRead() throws Exception {
    Result r = plugin(Map.of("namespaces", List.of("elsewhere")), token("discovery"));
    assertThat(r.exit()).isZero();
    assertThat(r.nodes()).containsKey("k8s:local:k8s.namespace:elsewhere")
        .doesNotContainKey("k8s:local:k8s.namespace:shop").doesNotContainKey("k8s:local:k8s.deployment:shop/web")
        .containsKey("k8s:local:k8s.clusterrole:too-much");
  }

  @Test
  void refusedListsAreSkippedAndNothingReadableFails() throws Exception {
    Result partial = plugin(Map.of(), token("namespace-lister"));
    assertThat(partial.exit()).isZero();
    assertThat(partial.nodes()).containsKey("k8s:local:k8s.namespace:shop").hasSizeLessThan(10);
    assertThat(partial.logs()).anyMatch(l -> l.startsWith("warn: skipped: GET /apis/apps/v1/deployments") && l.contains(
        "403") && l.contains("cannot list resource \"deployments\""));

    Result none = plugin(Map.of(), token("nobody"));
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.nodes()).isEmpty();
    assertThat(none.logs().get(none.logs().size() - 1))
        .startsWith("error: kubernetes discovery failed: the API server refused every list the plugin needs");
  }

  @Test
  void aKubeconfigWithATokenWorksAndBadRequestsSayWhy() throws Exception {
    String kc = "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: k\n  cluster:\n"
        + "    server: " + apiServerUrl + "\n    certificate-authority-data: "
        + Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII))
        + "\nusers:\n- name: u\n  user:\n    token: " + token("discovery")
        + "\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\n";
    Result viaKubeconfig = run(Map.of("job_id", "j", "tenant", "t", "config", Map.of("namespaces", List.of("shop")),
        "credential", Map.of("kubeconfig", kc)));
    assertThat(viaKubeconfig.exit()).as(viaKubeconfig.logs().toString()).isZero();
    assertThat(viaKubeconfig.nodes()).containsKey("k8s:local:k8s.deployment:shop/web");

    Result badCluster = plugin(Map.of("cluster", "Not A Name"), token("discovery"));
    assertThat(badCluster.exit()).isEqualTo(2);
    assertThat(badCluster.logs()).containsExactly(
        "error: malformed request: config.cluster must be a DNS name (a-z, 0-9, '.', '-'), got 'Not A Name'");
    Result nowhere = run(Map.of("job_id", "j", "tenant", "t", "config", Map.of()));
    assertThat(nowhere.exit()).isEqualTo(1);
    assertThat(nowhere.logs().get(0)).startsWith("error: kubernetes discovery failed: no Kubernetes API to talk to");
  }

  private static Result plugin(Map<String, Object> config, String token) throws Exception {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("job_id", "job-1");
    request.put("tenant", "acme");
    request.put("config", config);
    request.put("credential", Map.of("server", apiServerUrl, "token", token, "ca_cert", caPem));
    return run(request);
  }

  /** Runs the launcher script with the request on stdin, as the job runner does. */
  private static Result run(Map<String, Object> request) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of("plugins", "kubernetes").toAbsolutePath().toString());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("KUBERNETES_"));
    env.put("INFRACAST_CLASSPATH", System.getProperty("java.class.path"));
    Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().write(JSON.writeValueAsBytes(request));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Map<String, JsonNode> nodes = new HashMap<>();
    List<String> edges = new ArrayList<>();
    List<String> logs = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      JsonNode l = JSON.readTree(line);
      if (l.has("node")) {
        nodes.put(l.get("node").get("id").asText(), l.get("node"));
      } else if (l.has("edge")) {
        JsonNode e = l.get("edge");
        edges.add(e.get("type").asText() + " " + e.get("source_id").asText() + " -> " + e.get("target_id").asText());
      } else {
        logs.add(l.get("log").get("level").asText() + ": " + l.get("log").get("message").asText());
      }
    }
    return new Result(p.exitValue(), nodes, edges, logs, out);
  }

  private static String token(String serviceAccount) throws IOException, InterruptedException {
    return kubectl(null, "create", "token", serviceAccount, "-n", "infracast").trim();
  }

  private static String kubectl(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(TEST_DIR.resolve("k8s").resolve(VERSION + "-linux-amd64")
        .resolve("kubectl").toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
    return out;
  }
}
