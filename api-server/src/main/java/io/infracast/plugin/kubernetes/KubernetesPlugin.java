package io.infracast.plugin.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code kubernetes} discovery plugin: reads one JSON request on stdin
 * ({@code {"job_id","tenant","config":{...},"credential":{...}|null}}) and writes JSON lines on stdout
 * ({@code {"node":{...}}}, {@code {"edge":{...}}}, {@code {"log":{"level","message"}}}); exit 0 on success, 1 when
 * the cluster could not be read (the reason as the last log line), 2 for a malformed request.
 *
 * <p>Config: {@code cluster} (the node ids' cluster name, default {@code local}), {@code namespaces} (a list; all
 * the plugin may list when absent), and how to reach the API server (see {@link KubeApi}). Runs as a main class of
 * the api-server jar, started by {@code api-server/plugins/kubernetes}; it depends on nothing of the server.
 */
public final class KubernetesPlugin {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Cluster names become part of node ids: keep them to what needs no escaping there. */
  private static final String CLUSTER_NAME = "[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?";

  private KubernetesPlugin() {}

  public static void main(String[] args) {
    System.exit(run(System.in, System.out, System.getenv(), KubeApi.SERVICE_ACCOUNT_DIR));
  }

  /** Runs one discovery; returns the exit code. */
  static int run(InputStream in, PrintStream out, Map<String, String> env, Path serviceAccountDir) {
    Output output = new Output(out);
    JsonNode request;
    String cluster;
    List<String> namespaces;
    try {
      request = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      if (request == null || !request.isObject()) {
        throw new IllegalArgumentException("the request on stdin must be one JSON object");
      }
      JsonNode config = request.path("config");
      cluster = config.path("cluster").asText("local");
      if (!cluster.matches(CLUSTER_NAME)) {
        throw new IllegalArgumentException("config.cluster must be a DNS name (a-z, 0-9, '.', '-'), got '"
            + cluster + "'");
      }
      namespaces = namespaces(config.path("namespaces"));
    } catch (IOException | IllegalArgumentException e) {
      output.log("error", "malformed request: " + e.getMessage());
      return 2;
    }
    try {
      KubeApi api = KubeApi.connect(request.path("config"), request.get("credential"), env, serviceAccountDir);
      new Discovery(api, cluster, namespaces, output).run();
      return 0;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
      output.log("error", "kubernetes discovery failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      output.log("error", "kubernetes discovery interrupted");
      return 1;
    } finally {
      out.flush();
    }
  }

  private static List<String> namespaces(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isArray() || value.isEmpty()) {
      throw new IllegalArgumentException("config.namespaces must be a non-empty list of namespace names");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode ns : value) {
      if (!ns.isTextual() || !ns.asText().matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new IllegalArgumentException("config.namespaces holds '" + ns.asText() + "', not a namespace name");
      }
      names.add(ns.asText());
    }
    return names;
  }

  /** The JSON lines of the plugin protocol. */
  private static final class Output implements Discovery.Sink {
    private final PrintStream out;

    Output(PrintStream out) {
      this.out = out;
    }

    @Override
    public void node(ObjectNode node) {
      line("node", node);
    }

    @Override
    public void edge(String source, String target, String type) {
      ObjectNode edge = JSON.createObjectNode();
      edge.put("source_id", source).put("target_id", target).put("type", type).putObject("properties");
      line("edge", edge);
    }

    @Override
    public void log(String level, String message) {
      line("log", JSON.createObjectNode().put("level", level).put("message", message));
    }

    private void line(String kind, JsonNode value) {
      try {
        out.println(JSON.writeValueAsString(JSON.createObjectNode().set(kind, value)));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
