package io.infracast.api.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

/**
 * The discovery benchmark (test sources only), in two steps run by {@code bench/api-server/run.sh}:
 * {@code inventory <file>} writes an inventory of {@code NODES} Kubernetes-like nodes (workloads, Services,
 * ServiceAccounts, Secrets, Roles) whose properties fail some of the starter pack's rules, and as many edges;
 * {@code job <file>} has a running service ({@code API_URL}) discover it with the inventory plugin in a new tenant,
 * waits for the job and prints its timestamps and counts as {@code key=value} lines.
 */
public final class DiscoveryBenchMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] TYPES = {"k8s.deployment", "k8s.deployment", "k8s.deployment", "k8s.service",
      "k8s.service", "k8s.serviceaccount", "k8s.secret", "k8s.statefulset", "k8s.role", "k8s.rolebinding"};

  private DiscoveryBenchMain() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[1]);
    int nodes = Integer.parseInt(System.getenv().getOrDefault("NODES", "100000"));
    if (args[0].equals("inventory")) {
      writeInventory(file, nodes);
    } else {
      runJob(BenchClient.login(System.getenv()), file);
    }
  }

  private static void runJob(BenchClient api, Path inventory) throws Exception {
    api.send("POST", "/api/v1/tenants", JSON.writeValueAsString(Map.of("slug", "discovery", "name", "discovery")));
    String jobs = "/api/v1/tenants/discovery/jobs";
    JsonNode job = JSON.readTree(api.send("POST", jobs, JSON.writeValueAsString(Map.of("name", "bench",
        "plugins", new String[] {"inventory"}, "config", Map.of("path", inventory.toString())))));
    String path = jobs + "/" + job.get("id").asText();
    Instant giveUp = Instant.now().plus(Duration.ofMinutes(30));
    while (job.get("status").asText().equals("running")) {
      if (Instant.now().isAfter(giveUp)) {
        throw new IllegalStateException("the job did not end within 30 minutes: " + job);
      }
      Thread.sleep(200);
      job = JSON.readTree(api.send("GET", path, null));
    }
    if (!job.get("status").asText().equals("succeeded")) {
      throw new IllegalStateException("the job did not succeed: " + job);
    }
    for (String field : new String[] {"created_at", "started_at", "finished_at", "nodes", "edges"}) {
      System.out.println(field + "=" + job.get(field).asText());
    }
  }

  /** Streams the inventory out, so that a million nodes need no more memory than ten. */
  private static void writeInventory(Path file, int count) throws IOException {
    Random random = new Random(42);
    try (JsonGenerator out = JSON.getFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
      out.writeStartObject();
      out.writeArrayFieldStart("nodes");
      for (int i = 0; i < count; i++) {
        JSON.writeTree(out, JSON.valueToTree(node(i, random)));
      }
      out.writeEndArray();
      out.writeArrayFieldStart("edges");
      for (int i = 0; i < count; i++) {
        // Each node to one of the first ten of its namespace (a workload to its ServiceAccount, and the like).
        int to = i - i % 100 + random.nextInt(10);
        JSON.writeTree(out, JSON.valueToTree(Map.of("source_id", id(i), "target_id", id(to), "type", "depends_on")));
      }
      out.writeEndArray();
      out.writeEndObject();
    }
  }

  private static String type(int i) {
    return TYPES[i % TYPES.length];
  }

  private static String id(int i) {
    return "k8s:bench:" + type(i) + ":ns-" + i / 100 + "/obj-" + i;
  }

  private static Map<String, Object> node(int i, Random random) {
    Map<String, Object> properties = switch (type(i)) {
      case "k8s.deployment", "k8s.statefulset" -> Map.of("replicas", 2, "service_account_name", "default",
          "automount_service_account_token", random.nextInt(4) == 0, "host_network", random.nextInt(50) == 0,
          "containers", new Object[] {container(random)});
      case "k8s.service" -> Map.of("service_type", random.nextInt(10) == 0 ? "LoadBalancer" : "ClusterIP",
          "ports", new Object[] {Map.of("port", 443, "protocol", "TCP")});
      case "k8s.role" -> Map.of("rules", new Object[] {Map.of("api_groups", new String[] {""},
          "resources", new String[] {random.nextInt(20) == 0 ? "*" : "pods"},
          "verbs", new String[] {random.nextInt(20) == 0 ? "*" : "get"})});
      case "k8s.rolebinding" -> Map.of("role_ref", Map.of("kind", "Role", "name", "obj-" + (i - 1)),
          "subjects", new Object[] {Map.of("kind", "ServiceAccount", "name", "default")});
      case "k8s.secret" -> Map.of("secret_type", "Opaque", "key_count", 2, "keys", new String[] {"user", "pass"});
      default -> Map.of("automount_service_account_token", random.nextBoolean());
    };
    return Map.of("id", id(i), "type", type(i), "name", "obj-" + i, "properties", properties,
        "tags", Map.of("team", "team-" + i % 7));
  }

  /** A container that fails some rules: about 1 in 50 privileged, 1 in 5 without limits, and so on. */
  private static Map<String, Object> container(Random random) {
    boolean privileged = random.nextInt(50) == 0;
    return Map.ofEntries(Map.entry("name", "app"), Map.entry("init", false),
        Map.entry("image", "registry.example/app:1.2"), Map.entry("image_tag", "1.2"),
        Map.entry("image_pinned_by_digest", false), Map.entry("privileged", privileged),
        Map.entry("allow_privilege_escalation", privileged || random.nextInt(4) == 0),
        Map.entry("run_as_non_root", random.nextInt(3) != 0), Map.entry("run_as_user", 1000),
        Map.entry("read_only_root_filesystem", random.nextBoolean()),
        Map.entry("has_cpu_request", true), Map.entry("has_memory_request", true),
        Map.entry("has_cpu_limit", random.nextInt(5) != 0), Map.entry("has_memory_limit", true),
        Map.entry("secret_env", random.nextInt(10) == 0 ? new String[] {"db"} : new String[0]));
  }
}
