package io.infracast.operator.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@code ./bin/run} does once an installation answers: it discovers the local cluster through the service's
 * API with the {@code kubernetes} plugin, as a user would, and prints what was found. The plugin reads the cluster
 * as a ServiceAccount bound to its documented ClusterRole ({@code api-server/plugins/kubernetes-rbac.yaml}); the
 * ServiceAccount's token is in a file of the run folder that the job's kubeconfig names ({@code tokenFile}), so no
 * token is in the job's config, the job API's answers or a log.
 */
final class LocalDiscovery {
  private static final String ACCOUNT = "infracast-discovery";
  private static final String CLUSTER_ROLE = "infracast-kubernetes-discovery";
  private static final Path RBAC = Path.of("api-server", "plugins", "kubernetes-rbac.yaml");
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);
  private static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "info");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Path repo;
  private final Path tokenFile;
  private final Consumer<String> say;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  LocalDiscovery(KubernetesClient client, Path repo, Path runDir, Consumer<String> say) {
    this.client = client;
    this.repo = repo;
    this.tokenFile = runDir.resolve("discovery-token");
    this.say = say;
  }

  /**
   * Discovers the cluster into the tenant named after the installation and prints the job's outcome, the nodes
   * by type and the open findings by severity; a failure is printed, never thrown (the run goes on).
   */
  void discover(String namespace, String installation, URI api, String email, String password) {
    String name = namespace + "/" + installation;
    try {
      String kubeconfig = grantReadAccess(namespace);
      String bearer = call("POST", api.resolve("/api/v1/auth/token"), null,
          Map.of("email", email, "password", password)).get("access_token").asText();
      call("POST", api.resolve("/api/v1/tenants"), bearer, Map.of("slug", installation, "name", installation));
      URI tenant = api.resolve("/api/v1/tenants/" + installation + "/");
      JsonNode job = call("POST", tenant.resolve("jobs"), bearer, Map.of("name", "local cluster",
          "plugins", List.of("kubernetes"), "config", Map.of("cluster", "local", "kubeconfig", kubeconfig)));
      URI jobUri = tenant.resolve("jobs/" + job.get("id").asText());
      say.accept(name + " discovers this cluster: tenant " + installation + ", job " + job.get("id").asText()
          + " (plugin kubernetes, as ServiceAccount " + namespace + "/" + ACCOUNT + ", ClusterRole " + CLUSTER_ROLE
          + ")");
      long start = System.nanoTime();
      while (job.get("status").asText().equals("running")) {
        if (Duration.ofNanos(System.nanoTime() - start).compareTo(JOB_TIMEOUT) > 0) {
          throw new IOException("the job was still running after " + JOB_TIMEOUT.toMinutes() + " minutes");
        }
        Thread.sleep(1_000);
        job = call("GET", jobUri, bearer, null);
      }
      if (!job.get("status").asText().equals("succeeded")) {
        say.accept(name + " discovery " + job.get("status").asText() + ": " + job.get("error").asText()
            + " (its log: " + jobUri + "/stream)");
        return;
      }
      say.accept(name + " discovery succeeded in " + Duration.ofNanos(System.nanoTime() - start).toSeconds()
          + " s: " + job.get("nodes").asInt() + " nodes, " + job.get("edges").asInt() + " edges");
      List<String> types = new ArrayList<>();
      JsonNode byType = call("GET", tenant.resolve("graph/summary"), bearer, null).get("nodes_by_type");
      byType.fieldNames().forEachRemaining(type -> types.add(type + " " + byType.get(type).asLong()));
      say.accept(name + " nodes by type: " + String.join(", ", types));
      // The job's worker has evaluated the rules already; this evaluation waits for it and changes nothing.
      JsonNode evaluation = call("POST", tenant.resolve("findings/run"), bearer, null);
      List<String> bySeverity = new ArrayList<>();
      for (String severity : SEVERITIES) {
        long n = openFindings(tenant, bearer, "&severity=" + severity);
        if (n > 0) {
          bySeverity.add(n + " " + severity);
        }
      }
      say.accept(name + " compliance: " + evaluation.get("rules").asInt() + " rules over "
          + evaluation.get("nodes_evaluated").asInt() + " nodes: " + openFindings(tenant, bearer, "")
          + " open findings (" + String.join(", ", bySeverity) + "); the worst: curl -s '"
          + tenant.resolve("findings?severity=critical,high") + "' -H 'Authorization: Bearer <access_token>'");
    } catch (IOException | RuntimeException e) {
      say.accept(name + " could not discover this cluster: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The plugin's ClusterRole, a ServiceAccount bound to it and a token of it in {@link #tokenFile} (owner-only);
   * answers the job's kubeconfig (JSON, which is YAML too): this cluster's server and CA, the token by its file.
   */
  private String grantReadAccess(String namespace) throws IOException {
    try (InputStream in = Files.newInputStream(repo.resolve(RBAC))) {
      for (HasMetadata item : client.load(in).items()) {
        client.resource(item).serverSideApply();
      }
    }
    client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName(ACCOUNT).withNamespace(namespace).endMetadata().build()).serverSideApply();
    client.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
        .withName(CLUSTER_ROLE + "-" + namespace).endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", CLUSTER_ROLE)
        .addNewSubject().withKind("ServiceAccount").withName(ACCOUNT).withNamespace(namespace).endSubject()
        .build()).serverSideApply();
    String token = client.serviceAccounts().inNamespace(namespace).withName(ACCOUNT).tokenRequest(
        new TokenRequestBuilder().withNewSpec().withExpirationSeconds(Duration.ofDays(1).toSeconds()).endSpec()
            .build()).getStatus().getToken();
    Files.deleteIfExists(tokenFile);
    Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tokenFile, token);

    Config own = client.getConfiguration();
    String ca = own.getCaCertData() != null ? own.getCaCertData()
        : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(own.getCaCertFile())));
    ObjectNode kubeconfig = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Config")
        .put("current-context", "local");
    kubeconfig.putArray("clusters").addObject().put("name", "local").putObject("cluster")
        .put("server", own.getMasterUrl()).put("certificate-authority-data", ca);
    kubeconfig.putArray("users").addObject().put("name", ACCOUNT).putObject("user")
        .put("tokenFile", tokenFile.toString());
    kubeconfig.putArray("contexts").addObject().put("name", "local").putObject("context")
        .put("cluster", "local").put("user", ACCOUNT);
    return kubeconfig.toString();
  }

  private long openFindings(URI tenant, String bearer, String filter) throws IOException, InterruptedException {
    return call("GET", tenant.resolve("findings?status=open&per_page=1" + filter), bearer, null).get("total")
        .asLong();
  }

  /** One API call; a status of 400 or above is an IOException with the service's message. */
  private JsonNode call(String method, URI uri, String bearer, Object body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
        .header("Content-Type", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 400) {
      throw new IOException(method + " " + uri.getPath() + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }
}
