package io.infracast.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infracast.api.platform.db.Pools;
import io.infracast.contract.DatabaseUrl;
import java.io.IOException;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import org.postgresql.PGConnection;

/**
 * The asset graph benchmark (test sources only): against a running service ({@code API_URL}) and its database
 * ({@code DATABASE_URL}), ingests {@code NODES} nodes and as many edges through the bulk routes, then the same rows
 * with PostgreSQL's COPY into the same tables (another tenant) as the ceiling, then measures list, get and
 * neighbours latency. Prints Markdown table rows. Run by {@code bench/api-server/run.sh}.
 */
public final class GraphBenchMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TYPE = "aws.ec2.instance";
  /** NODES: how many nodes, and edges, the run makes. */
  private static int nodeCount;

  private GraphBenchMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    int nodes = Integer.parseInt(env.getOrDefault("NODES", "100000"));
    nodeCount = nodes;
    int batch = Integer.parseInt(env.getOrDefault("BATCH", "5000"));
    int samples = Integer.parseInt(env.getOrDefault("SAMPLES", "500"));
    BenchClient api = BenchClient.login(env);
    for (String slug : List.of("bench", "ceiling")) {
      api.send("POST", "/api/v1/tenants", JSON.writeValueAsString(Map.of("slug", slug, "name", slug)));
    }
    String base = "/api/v1/tenants/bench/";

    double nodeSeconds = timed(() -> ingest(api, base + "nodes/bulk", "nodes", nodes, batch,
        GraphBenchMain::node));
    double edgeSeconds = timed(() -> ingest(api, base + "edges/bulk", "edges", nodes, batch,
        GraphBenchMain::edge));

    DatabaseUrl url = DatabaseUrl.parse(env.get("DATABASE_URL"));
    double copyNodeSeconds;
    double copyEdgeSeconds;
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), Pools.driverProperties(url))) {
      UUID ceiling = tenantId(c, "ceiling");
      copyNodeSeconds = timed(() -> copy(c, "nodes (tenant_id, id, type, provider, region, account_id, name,"
          + " properties, tags, discovered_at)", nodes, i -> nodeCsv(ceiling, i)));
      copyEdgeSeconds = timed(() -> copy(c, "edges (tenant_id, id, source_id, target_id, type, properties)", nodes,
          i -> edgeCsv(ceiling, i)));
      try (PreparedStatement st = c.prepareStatement("vacuum analyze nodes")) {
        st.execute();
      }
      try (PreparedStatement st = c.prepareStatement("vacuum analyze edges")) {
        st.execute();
      }
    }

    Random random = new Random(42);
    double[] list = latencies(samples, () -> base + "nodes?per_page=50&page=" + (1 + random.nextInt(100)), api);
    double[] facets = latencies(samples, () -> base + "nodes?per_page=50&types=" + TYPE + "&region="
        + region(random.nextInt(nodes)) + "&page=" + (1 + random.nextInt(100)), api);
    double[] filtered = latencies(samples, () -> base + "nodes?per_page=50&sort=-name&tags=env%3Dprod&region="
        + region(random.nextInt(nodes)), api);
    double[] get = latencies(samples, () -> base + "nodes/" + enc(id(random.nextInt(nodes))), api);
    double[] neighbors = latencies(samples, () -> base + "nodes/" + enc(id(random.nextInt(nodes))) + "/neighbors",
        api);
    double[] edges = latencies(samples, () -> base + "edges?limit=50&source_id=" + enc(id(random.nextInt(nodes))),
        api);

    System.out.printf("| nodes, bulk API (%d per request, one client) | %d | %.1f | %.0f |%n", batch, nodes,
        nodeSeconds, nodes / nodeSeconds);
    System.out.printf("| nodes, COPY (ceiling, same rows and table) | %d | %.1f | %.0f |%n", nodes, copyNodeSeconds,
        nodes / copyNodeSeconds);
    System.out.printf("| edges, bulk API (%d per request, one client) | %d | %.1f | %.0f |%n", batch, nodes,
        edgeSeconds, nodes / edgeSeconds);
    System.out.printf("| edges, COPY (ceiling, same rows and table) | %d | %.1f | %.0f |%n", nodes, copyEdgeSeconds,
        nodes / copyEdgeSeconds);
    System.out.printf("RATIO nodes %.2f edges %.2f%n", copyNodeSeconds / nodeSeconds, copyEdgeSeconds / edgeSeconds);
    row("GET /nodes?per_page=50&page=1..100", list);
    row("GET /nodes?types=..&region=..&page=1..100", facets);
    row("GET /nodes?sort=-name&tags=env=prod&region=..", filtered);
    row("GET /nodes/{node_id}", get);
    row("GET /nodes/{node_id}/neighbors", neighbors);
    row("GET /edges?source_id=..&limit=50", edges);
  }

  // The rows: node i in one of 4 regions, tagged env prod/dev; edge i from node i to node (7i+1) mod n.

  private static String id(int i) {
    return "aws:" + region(i) + ":" + TYPE + ":i-" + String.format("%08d", i);
  }

  private static String region(int i) {
    return List.of("us-east-1", "us-west-2", "eu-west-1", "ap-south-1").get(i % 4);
  }

  private static Map<String, Object> properties(int i) {
    return Map.of("state", i % 10 == 0 ? "stopped" : "running", "instance_type", "t3.micro",
        "vpc_id", "vpc-" + (i % 50), "private_ip", "10.0." + (i / 256 % 256) + "." + (i % 256));
  }

  private static Map<String, String> tags(int i) {
    return Map.of("env", i % 3 == 0 ? "prod" : "dev", "team", "team-" + (i % 20));
  }

  private static Map<String, Object> node(int i) {
    return Map.of("id", id(i), "name", "web-" + i, "account_id", "1234567890" + (i % 5), "properties",
        properties(i), "tags", tags(i));
  }

  private static Map<String, Object> edge(int i) {
    return Map.of("source_id", id(i), "target_id", id(target(i)), "type", "depends_on",
        "properties", Map.of("port", 443));
  }

  private static int target(int i) {
    return (int) ((7L * i + 1) % nodeCount);
  }

  private static String nodeCsv(UUID tenant, int i) {
    return csv(tenant.toString(), id(i), TYPE, "aws", region(i), "1234567890" + (i % 5), "web-" + i,
        json(properties(i)), json(tags(i)), "2025-01-01T00:00:00Z");
  }

  private static String edgeCsv(UUID tenant, int i) {
    return csv(tenant.toString(), UUID.randomUUID().toString(), id(i), id(target(i)), "depends_on",
        json(Map.of("port", 443)));
  }

  private static String csv(String... fields) {
    return String.join(",", Arrays.stream(fields).map(f -> "\"" + f.replace("\"", "\"\"") + "\"").toList()) + "\n";
  }

  private static void ingest(BenchClient api, String path, String field, int n, int batch,
      IntFunction<Map<String, Object>> row) throws Exception {
    for (int from = 0; from < n; from += batch) {
      List<Map<String, Object>> items = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + batch); i++) {
        items.add(row.apply(i));
      }
      JsonNode done = JSON.readTree(api.send("POST", path, JSON.writeValueAsString(Map.of(field, items))));
      if (done.path("created").asInt() != items.size()) {
        throw new IllegalStateException("ingest failed: " + done);
      }
    }
  }

  private static void copy(Connection c, String table, int n, IntFunction<String> row)
      throws SQLException, IOException {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < n; i++) {
      data.append(row.apply(i));
    }
    c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy " + table + " from stdin (format csv)",
        new StringReader(data.toString()));
  }

  private static UUID tenantId(Connection c, String slug) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("select id from tenants where slug = ?")) {
      st.setString(1, slug);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getObject(1, UUID.class);
      }
    }
  }

  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  @FunctionalInterface
  private interface PathMaker {
    String next();
  }

  private static double timed(Step step) throws Exception {
    long t0 = System.nanoTime();
    step.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Sorted latencies in ms of {@code samples} sequential GETs, after as many warm-up requests. */
  private static double[] latencies(int samples, PathMaker paths, BenchClient api) throws Exception {
    for (int i = 0; i < samples; i++) {
      api.send("GET", paths.next(), null);
    }
    double[] ms = new double[samples];
    for (int i = 0; i < samples; i++) {
      String path = paths.next();
      long t0 = System.nanoTime();
      api.send("GET", path, null);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  private static void row(String what, double[] sorted) {
    System.out.printf("| %s | %d | %.2f | %.2f |%n", what, sorted.length, sorted[sorted.length / 2],
        sorted[(int) Math.ceil(sorted.length * 0.99) - 1]);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
