package io.infracast.plugin.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Read-only access to one Kubernetes API server with a bearer token, over the JDK HTTP client. Where the server,
 * token and CA come from, first found wins:
 *
 * <ol>
 *   <li>{@code kubeconfig} (the file's YAML text) in the credential or the config, optionally {@code context};
 *   <li>{@code server} and {@code token} (credential or config; the credential wins), optionally {@code ca_cert}
 *       (PEM);
 *   <li>in-cluster: {@code KUBERNETES_SERVICE_HOST}/{@code KUBERNETES_SERVICE_PORT} and the pod's service account
 *       token and CA under {@code /var/run/secrets/kubernetes.io/serviceaccount}.
 * </ol>
 */
final class KubeApi {
  static final Path SERVICE_ACCOUNT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
  /** Lists come in pages of this many objects ({@code limit} and {@code continue}). */
  private static final int PAGE = 500;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The API server refused a request (403, 404 of a kind it does not serve, ...). */
  static final class Refused extends Exception {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private final URI server;
  private final String token;
  private final HttpClient http;

  private KubeApi(URI server, String token, HttpClient http) {
    this.server = server;
    this.token = token;
    this.http = http;
  }

  /** Connects as the credential, the config or the pod says (see the class comment). */
  static KubeApi connect(JsonNode config, JsonNode credential, Map<String, String> env, Path serviceAccountDir)
      throws IOException, GeneralSecurityException {
    Optional<String> kubeconfig = text(credential, "kubeconfig").or(() -> text(config, "kubeconfig"));
    if (kubeconfig.isPresent()) {
      return fromKubeconfig(kubeconfig.get(), text(credential, "context").or(() -> text(config, "context")));
    }
    Optional<String> server = text(credential, "server").or(() -> text(config, "server"));
    Optional<String> token = text(credential, "token").or(() -> text(config, "token"));
    if (server.isPresent() || token.isPresent()) {
      if (server.isEmpty() || token.isEmpty()) {
        throw new IllegalArgumentException("give both server and token (credential or config), or neither");
      }
      return new KubeApi(URI.create(server.get()), token.get(),
          client(text(credential, "ca_cert").or(() -> text(config, "ca_cert")).orElse(null)));
    }
    String host = env.get("KUBERNETES_SERVICE_HOST");
    if (host == null || !Files.isReadable(serviceAccountDir.resolve("token"))) {
      throw new IllegalArgumentException("no Kubernetes API to talk to: give kubeconfig, or server and token, in the"
          + " job's credential or config, or run in a pod with a service account token (KUBERNETES_SERVICE_HOST is "
          + (host == null ? "unset" : "set but " + serviceAccountDir.resolve("token") + " is not readable") + ")");
    }
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    Path ca = serviceAccountDir.resolve("ca.crt");
    return new KubeApi(URI.create("https://" + hostPart + ":" + env.getOrDefault("KUBERNETES_SERVICE_PORT", "443")),
        Files.readString(serviceAccountDir.resolve("token")).trim(),
        client(Files.isReadable(ca) ? Files.readString(ca) : null));
  }

  /** The kubeconfig's context (its current one by default): its cluster's server and CA, its user's token. */
  private static KubeApi fromKubeconfig(String yaml, Optional<String> contextName)
      throws IOException, GeneralSecurityException {
    JsonNode kc = new YAMLMapper().readTree(yaml);
    String name = contextName.orElseGet(() -> kc.path("current-context").asText(""));
    JsonNode context = named(kc, "contexts", name, "context");
    JsonNode cluster = named(kc, "clusters", context.path("cluster").asText(), "cluster");
    JsonNode user = named(kc, "users", context.path("user").asText(), "user");
    String token = user.path("token").asText(null);
    if (token == null && user.hasNonNull("tokenFile")) {
      token = Files.readString(Path.of(user.get("tokenFile").asText())).trim();
    }
    if (token == null) {
      throw new IllegalArgumentException("the kubeconfig's user " + context.path("user").asText()
          + " has no token (token or tokenFile): only token authentication is supported");
    }
    String ca = null;
    if (cluster.hasNonNull("certificate-authority-data")) {
      ca = new String(Base64.getDecoder().decode(cluster.get("certificate-authority-data").asText()),
          StandardCharsets.US_ASCII);
    } else if (cluster.hasNonNull("certificate-authority")) {
      ca = Files.readString(Path.of(cluster.get("certificate-authority").asText()));
    }
    return new KubeApi(URI.create(cluster.path("server").asText()), token, client(ca));
  }

  private static JsonNode named(JsonNode kubeconfig, String list, String name, String field) {
    for (JsonNode entry : kubeconfig.path(list)) {
      if (entry.path("name").asText().equals(name)) {
        return entry.path(field);
      }
    }
    throw new IllegalArgumentException("the kubeconfig has no entry '" + name + "' in " + list);
  }

  /** An HTTP client trusting the given CA certificates (PEM), or the JDK's defaults without them. */
  private static HttpClient client(String caPem) throws GeneralSecurityException, IOException {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (caPem != null) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
        trust.setCertificateEntry("ca-" + i++, cert);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      b.sslContext(ssl);
    }
    return b.build();
  }

  /** Every object of a list path ({@code /apis/apps/v1/deployments}), following {@code continue} tokens. */
  List<JsonNode> list(String path) throws IOException, InterruptedException, Refused {
    return list(path, "application/json", "");
  }

  /**
   * The metadata of every object at a list path, as a Table whose rows carry only each object's metadata
   * ({@code includeObject=Metadata}), plus the Table's own cells (for Secrets: type and number of keys). The API
   * server never sends the objects' content, so for Secrets no value leaves the server.
   */
  List<JsonNode> tableRows(String path) throws IOException, InterruptedException, Refused {
    return list(path, "application/json;as=Table;g=meta.k8s.io;v=v1", "&includeObject=Metadata");
  }

  private List<JsonNode> list(String path, String accept, String extra)
      throws IOException, InterruptedException, Refused {
    List<JsonNode> items = new ArrayList<>();
    String cont = "";
    do {
      JsonNode page = get(path + "?limit=" + PAGE + extra
          + (cont.isEmpty() ? "" : "&continue=" + URLEncoder.encode(cont, StandardCharsets.UTF_8)), accept);
      page.path(page.has("rows") ? "rows" : "items").forEach(items::add);
      if (page.has("columnDefinitions")) {
        // Each row's cells by column name, so callers need not know the column order.
        for (JsonNode row : page.path("rows")) {
          ObjectNode named = ((ObjectNode) row).putObject("columns");
          for (int i = 0; i < page.get("columnDefinitions").size(); i++) {
            named.set(page.get("columnDefinitions").get(i).path("name").asText(), row.path("cells").path(i));
          }
        }
      }
      cont = page.path("metadata").path("continue").asText("");
    } while (!cont.isEmpty());
    return items;
  }

  JsonNode get(String path) throws IOException, InterruptedException, Refused {
    return get(path, "application/json");
  }

  private JsonNode get(String path, String accept) throws IOException, InterruptedException, Refused {
    HttpRequest request = HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token).header("Accept", accept).GET().build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      // The Status object's message says which verb and resource were refused; never the request's token.
      String message = r.body();
      try {
        message = JSON.readTree(r.body()).path("message").asText(message);
      } catch (IOException notJson) {
        // keep the raw body
      }
      throw new Refused(r.statusCode(), "GET " + path + ": " + r.statusCode() + " "
          + (message.length() > 300 ? message.substring(0, 300) + "..." : message));
    }
    return JSON.readTree(r.body());
  }

  private static Optional<String> text(JsonNode node, String field) {
    return node == null || !node.hasNonNull(field) || node.get(field).asText().isBlank()
        ? Optional.empty() : Optional.of(node.get(field).asText());
  }
}
