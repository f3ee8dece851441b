package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.infracast.operator.testing.RealApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code examples/*.yaml} is accepted by a real API server with the committed CRD, applied the way
 * {@code kubectl apply --server-side} does (unknown fields refused). Each file's namespaces are renamed with an
 * {@code ex-<file>-} prefix so the examples never collide with other tests on the shared API server.
 */
class ExamplesTest {

  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final String CR_API_VERSION = "infracast.io/v1alpha1";
  private static final String CR_KIND = "InfracastInstallation";
  private static final ObjectReader YAML = new YAMLMapper().readerFor(GenericKubernetesResource.class);

  private static KubernetesClient client;

  @BeforeAll
  static void applyCommittedCrd() throws IOException {
    // No retries: the API server answers a server-side apply with an unknown field with a 500, which the client
    // would otherwise retry with backoff for about 20 s before failing with the same message.
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
        Config.fromKubeconfig(RealApiServer.kubeConfigYaml())).withRequestRetryBackoffLimit(0).build()).build();
    RealApiServer.applyCrd(client, RealApiServer.COMMITTED_CRD);
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
    }
  }

  static Stream<Path> exampleFiles() throws IOException {
    List<Path> files;
    try (var listing = Files.list(EXAMPLES)) {
      files = listing.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString())
        .as("examples/ as seen from %s", Path.of("").toAbsolutePath())
        .contains("development.yaml", "production.yaml", "external-data.yaml", "many-tenants.yaml");
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleFiles")
  void exampleIsAcceptedByTheApiServer(Path file) throws IOException {
    var objects = read(file);
    assertThat(objects).extracting(GenericKubernetesResource::getKind)
        .as("%s holds InfracastInstallations", file).contains(CR_KIND);

    var stem = file.getFileName().toString().replaceFirst("\\.yaml$", "");
    Map<String, String> namespaces = new LinkedHashMap<>();
    for (var object : objects) {
      if ("Namespace".equals(object.getKind())) {
        namespaces.put(object.getMetadata().getName(), testNamespace(stem, object.getMetadata().getName()));
      } else {
        var ns = Objects.requireNonNullElse(object.getMetadata().getNamespace(), "default");
        namespaces.computeIfAbsent(ns, n -> testNamespace(stem, n));
      }
    }

    // Namespaces first (those the file declares, with their labels, and any it only refers to), then the rest in
    // file order, each through server-side apply with strict field validation.
    for (var entry : namespaces.entrySet()) {
      var declared = objects.stream().filter(o -> "Namespace".equals(o.getKind())
          && entry.getKey().equals(o.getMetadata().getName())).findFirst();
      var namespace = declared.orElseGet(() -> resource("v1", "Namespace", entry.getKey(), null));
      namespace.getMetadata().setName(entry.getValue());
      apply(namespace);
    }
    for (var object : objects) {
      if ("Namespace".equals(object.getKind())) {
        continue;
      }
      var originalNamespace = Objects.requireNonNullElse(object.getMetadata().getNamespace(), "default");
      object.getMetadata().setNamespace(namespaces.get(originalNamespace));
      apply(object);
    }

    for (var cr : objects.stream().filter(o -> CR_KIND.equals(o.getKind())).toList()) {
      var stored = client.genericKubernetesResources(CR_API_VERSION, CR_KIND)
          .inNamespace(cr.getMetadata().getNamespace()).withName(cr.getMetadata().getName()).get();
      assertThat(stored).as("%s %s/%s", file, cr.getMetadata().getNamespace(), cr.getMetadata().getName())
          .isNotNull();
      assertThat(stored.<Object>get("spec")).isEqualTo(cr.<Object>get("spec"));
    }
  }

  /** The apply path above refuses what kubectl would: a misspelled field is not silently dropped. */
  @Test
  void applyPathRefusesUnknownFields() {
    var ns = testNamespace("self-check", "typo");
    apply(resource("v1", "Namespace", ns, null));
    var cr = resource(CR_API_VERSION, CR_KIND, "typo", ns);
    cr.setAdditionalProperty("spec", Map.of("profile", "development", "version", "1.4.2",
        "api", Map.of("replicas", 3),
        "database", Map.of("provisioner", "ack"), "artifacts", Map.of("provisioner", "ack")));
    assertThatThrownBy(() -> apply(cr))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(".spec.api.replicas: field not declared in schema");
  }

  private static List<GenericKubernetesResource> read(Path file) throws IOException {
    List<GenericKubernetesResource> objects = new ArrayList<>();
    try (var docs = YAML.<GenericKubernetesResource>readValues(Files.readString(file))) {
      while (docs.hasNextValue()) {
        var object = docs.nextValue();
        if (object != null) {
          assertThat(object.getKind()).as("every document of %s has a kind", file).isNotBlank();
          objects.add(object);
        }
      }
    }
    return objects;
  }

  private static void apply(GenericKubernetesResource object) {
    client.resource(object).patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager("examples-test").withForce(true).withFieldValidation("Strict").build());
  }

  private static GenericKubernetesResource resource(String apiVersion, String kind, String name, String namespace) {
    var object = new GenericKubernetesResource();
    object.setApiVersion(apiVersion);
    object.setKind(kind);
    object.setMetadata(new ObjectMetaBuilder().withName(name)
        .withNamespace(namespace).build());
    return object;
  }

  private static String testNamespace(String stem, String namespace) {
    var name = "ex-" + stem + "-" + namespace;
    assertThat(name).as("test namespace name").hasSizeLessThanOrEqualTo(63);
    return name;
  }
}
