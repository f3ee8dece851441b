package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.testing.RealApiServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the terraform provisioner will build on: real OpenTofu (built by testenv/) keeps its state in a tenant
 * namespace through its {@code kubernetes} backend, which needs no provider from a registry, against the real
 * API server. The state is a gzip'd Secret {@code tfstate-<workspace>-<suffix>}; the lock is a Lease
 * {@code lock-tfstate-<workspace>-<suffix>} whose holder refuses every other run.
 */
class OpenTofuKubernetesBackendTest {

  private static final String VERSION = System.getProperty("infracast.opentofu.version", "1.12.6");
  private static final String STATE_SECRET = "tfstate-default-infracast-data";
  private static final String LOCK_LEASE = "lock-tfstate-default-infracast-data";

  @TempDir
  Path work;

  private KubernetesClient client;
  private String namespace;

  @BeforeEach
  void configWithTheKubernetesBackend() throws IOException {
    client = RealApiServer.newClient();
    namespace = "tofu-" + UUID.randomUUID().toString().substring(0, 8);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
        .build()).create();
    Files.writeString(work.resolve("kubeconfig"), RealApiServer.kubeConfigYaml());
    // terraform_data is OpenTofu's built-in provider's: nothing to download.
    Files.writeString(work.resolve("main.tf"), """
        terraform {
          backend "kubernetes" {
            namespace     = "%s"
            secret_suffix = "infracast-data"
            config_path   = "%s"
          }
        }

        variable "greeting" {
          type = string
        }

        resource "terraform_data" "greeting" {
          input = var.greeting
        }

        output "greeting" {
          value = terraform_data.greeting.output
        }
        """.formatted(namespace, work.resolve("kubeconfig")));
    assertThat(tofu("init", "-input=false").exitCode).isZero();
  }

  @AfterEach
  void deleteNamespace() {
    client.namespaces().withName(namespace).delete();
    client.close();
  }

  @Test
  void applyKeepsTheStateInASecretAndReleasesTheLeaseItLockedWith() throws IOException {
    var apply = tofu("apply", "-auto-approve", "-input=false", "-var", "greeting=hello");

    assertThat(apply.exitCode).as(apply.output).isZero();
    assertThat(stateOutput("greeting")).isEqualTo("hello");
    var secret = client.secrets().inNamespace(namespace).withName(STATE_SECRET).get();
    assertThat(secret.getMetadata().getLabels()).containsEntry("tfstate", "true");
    var lease = client.leases().inNamespace(namespace).withName(LOCK_LEASE).get();
    assertThat(lease).as("the Lease OpenTofu locked the state with").isNotNull();
    assertThat(lease.getSpec().getHolderIdentity()).as("released after the apply").isNull();
  }

  @Test
  void aHeldLeaseStopsAnotherApplyAndTheStateStaysAsItWas() throws IOException {
    assertThat(tofu("apply", "-auto-approve", "-input=false", "-var", "greeting=hello").exitCode).isZero();
    holdLease("another-runner");

    var refused = tofu("apply", "-auto-approve", "-input=false", "-lock-timeout=0s", "-var", "greeting=bye");

    assertThat(refused.exitCode).isNotZero();
    assertThat(refused.output).contains("Error acquiring the state lock")
        .contains("the state is already locked by another tofu client");
    assertThat(stateOutput("greeting")).isEqualTo("hello");

    holdLease(null);
    assertThat(tofu("apply", "-auto-approve", "-input=false", "-var", "greeting=bye").exitCode).isZero();
    assertThat(stateOutput("greeting")).isEqualTo("bye");
  }

  /** Another run's lock, as OpenTofu writes it: the holder and its lock info in an annotation. */
  private void holdLease(String holder) {
    client.leases().inNamespace(namespace).withName(LOCK_LEASE).edit(lease -> {
      lease.getSpec().setHolderIdentity(holder);
      lease.getMetadata().setAnnotations(holder == null ? Map.of() : Map.of("app.terraform.io/lock-info",
          "{\"ID\":\"" + holder + "\",\"Operation\":\"OperationTypeApply\",\"Who\":\"runner@job\"}"));
      return lease;
    });
  }

  /** An output of the state in the Secret: its data is the gzip'd state JSON. */
  private String stateOutput(String name) throws IOException {
    var secret = client.secrets().inNamespace(namespace).withName(STATE_SECRET).get();
    assertThat(secret).as("state Secret %s", STATE_SECRET).isNotNull();
    var gzipped = Base64.getDecoder().decode(secret.getData().get("tfstate"));
    try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      JsonNode state = new ObjectMapper().readTree(in);
      return state.path("outputs").path(name).path("value").asText();
    }
  }

  private record Run(int exitCode, String output) {}

  private Run tofu(String... args) {
    var binary = Path.of(System.getenv().getOrDefault("KUBE_API_TEST_DIR",
        Path.of(System.getProperty("user.home"), ".kubeapitest").toString()), "opentofu", VERSION, "tofu");
    assertThat(binary).as("run testenv/opentofu/build.sh to build OpenTofu %s", VERSION).isExecutable();
    var command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    command.add("-no-color");
    try {
      var log = work.resolve("tofu.log");
      var builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      // An empty CLI configuration: no user plugin cache or mirror changes what runs.
      builder.environment().put("TF_CLI_CONFIG_FILE", Files.createFile(work.resolve("tofurc-" + UUID.randomUUID()))
          .toString());
      builder.environment().put("TF_IN_AUTOMATION", "1");
      var process = builder.start();
      assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("tofu %s finished", String.join(" ", args)).isTrue();
      return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
