package io.infracast.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every module's and example's interface, as terraform-config-inspect reads it: it parses them as OpenTofu does
 * (HCL, blocks, attributes) without providers. {@code tofu init -backend=false} and {@code tofu validate} are
 * not possible offline: they need the aws, random, tls, helm and kubernetes providers from a provider registry,
 * so what a resource argument or a reference into a resource says is not checked here (see terraform/README.md).
 */
class ModuleInterfaceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DOCUMENTATION = Path.of("src/test/resources/deployment-architecture.txt");

  /** What the modules' consumers (the examples, vulcan-ecs/-eks, the future terraform provisioner) read. */
  private static final Map<String, List<String>> REQUIRED_OUTPUTS = Map.of(
      "infracast-data", List.of("endpoint", "port", "database", "username", "password", "bucket", "bucket_arn",
          "region", "database_url_secret_arn", "kms_key_arn", "security_group_id"),
      "vulcan-ecs", List.of("api_url", "alb_dns_name", "ui_url", "ui_bucket", "database_url_secret_arn",
          "artifacts_bucket"),
      "vulcan-eks", List.of("cluster_name", "cluster_endpoint", "cluster_certificate_authority_data",
          "tenant_namespaces", "tenant_role_arns"),
      "infracast-network", List.of("vpc_id", "public_subnet_ids", "private_subnet_ids", "data_subnet_ids"));

  static Stream<Path> modulesAndExamples() throws IOException {
    return Stream.concat(folders("modules"), folders("examples"));
  }

  private static Stream<Path> folders(String parent) throws IOException {
    try (var list = Files.list(OpenTofu.TERRAFORM.resolve(parent))) {
      return list.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  @Test
  void everyModuleHasAnExampleAndAReadmeListingItsInputsAndOutputs() throws IOException {
    var examples = folders("examples").map(p -> p.getFileName().toString()).toList();
    for (var module : folders("modules").toList()) {
      var name = module.getFileName().toString();
      if (!name.equals("infracast-network")) {
        assertThat(examples).as("terraform/examples/%s", name).contains(name);
      }
      var readme = module.resolve("README.md");
      assertThat(readme).isRegularFile();
      var text = Files.readString(readme);
      var config = inspect(module);
      var names = new ArrayList<String>();
      config.path("variables").fieldNames().forEachRemaining(names::add);
      config.path("outputs").fieldNames().forEachRemaining(names::add);
      for (var declared : names) {
        assertThat(text).as("%s lists `%s`", readme, declared).contains("| `" + declared + "` |");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("modulesAndExamples")
  void parsesWithoutDiagnosticsAndEveryVariableAndOutputIsTypedAndDescribed(Path folder) {
    var config = inspect(folder);

    // terraform-config-inspect leaves diagnostics out when there are none.
    assertThat(iterable(config.path("diagnostics"))).as("%s diagnostics", folder).isEmpty();
    config.path("variables").properties().forEach(variable -> {
      assertThat(variable.getValue().path("type").asText()).as("%s: variable %s has no type", folder,
          variable.getKey()).isNotBlank();
      assertThat(variable.getValue().path("description").asText()).as("%s: variable %s has no description",
          folder, variable.getKey()).isNotBlank();
    });
    config.path("outputs").properties().forEach(output ->
        assertThat(output.getValue().path("description").asText()).as("%s: output %s has no description",
            folder, output.getKey()).isNotBlank());
  }

  @ParameterizedTest
  @MethodSource("modulesAndExamples")
  void everyModuleSourceIsAFolderOfThisRepositoryWithTerraformFiles(Path folder) throws IOException {
    for (var call : iterable(inspect(folder).path("module_calls"))) {
      var source = call.path("source").asText();
      assertThat(source).as("%s: module %s", folder, call.path("name").asText()).startsWith("../");
      var target = folder.resolve(source).normalize();
      assertThat(target).as("%s: module %s", folder, call.path("name").asText()).isDirectory();
      try (var files = Files.list(target)) {
        assertThat(files.anyMatch(f -> f.toString().endsWith(".tf"))).as("%s has no .tf files", target).isTrue();
      }
    }
  }

  @Test
  void vulcanEcsTakesExactlyTheDocumentedModuleBlocksVariables() throws IOException {
    var documented = documentedModuleBlock();
    var variables = new TreeSet<String>();
    inspect(OpenTofu.TERRAFORM.resolve("modules/vulcan-ecs")).path("variables").fieldNames()
        .forEachRemaining(variables::add);

    assertThat(documented).contains("environment", "certificate_arn", "tags");
    assertThat(variables).containsExactlyInAnyOrderElementsOf(documented);
  }

  @Test
  void theModulesHaveTheOutputsTheirConsumersRead() {
    REQUIRED_OUTPUTS.forEach((module, outputs) -> {
      var declared = new TreeSet<String>();
      inspect(OpenTofu.TERRAFORM.resolve("modules").resolve(module)).path("outputs").fieldNames()
          .forEachRemaining(declared::add);
      assertThat(declared).as("outputs of %s", module).containsAll(outputs);
    });
  }

  @Test
  void theEcsExampleIsTheDocumentedModuleBlock() throws IOException {
    var example = inspect(OpenTofu.TERRAFORM.resolve("examples/vulcan-ecs"));
    assertThat(example.path("module_calls").path("vulcan").path("source").asText())
        .isEqualTo("../../modules/vulcan-ecs");
    var text = Files.readString(OpenTofu.TERRAFORM.resolve("examples/vulcan-ecs/main.tf"));
    for (var name : documentedModuleBlock()) {
      assertThat(text).as("examples/vulcan-ecs sets %s", name).containsPattern("\\n\\s*" + name + "\\s+=");
    }
  }

  /** Names set in the documentation's `module "vulcan" { ... }` block, except source (and nested tags keys). */
  private static List<String> documentedModuleBlock() throws IOException {
    var lines = Files.readAllLines(DOCUMENTATION);
    var start = lines.indexOf("module \"vulcan\" {");
    assertThat(start).as("no module \"vulcan\" block in %s", DOCUMENTATION).isNotNegative();
    var names = new ArrayList<String>();
    var assignment = Pattern.compile("^([a-z_]+) = ");
    var depth = 0;
    for (var line : lines.subList(start + 1, lines.size())) {
      if (line.equals("}") && depth == 0) {
        return names;
      }
      var matcher = assignment.matcher(line);
      if (depth == 0 && matcher.find() && !matcher.group(1).equals("source")) {
        names.add(matcher.group(1));
      }
      depth += line.endsWith("{") ? 1 : 0;
      depth -= line.equals("}") ? 1 : 0;
    }
    throw new AssertionError("the module \"vulcan\" block of " + DOCUMENTATION + " does not end");
  }

  private static JsonNode inspect(Path folder) {
    var result = OpenTofu.inspect(folder);
    assertThat(result.exitCode()).as("terraform-config-inspect %s:%n%s", folder, result.output()).isZero();
    try {
      return JSON.readTree(result.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Iterable<JsonNode> iterable(JsonNode object) {
    var values = new ArrayList<JsonNode>();
    object.elements().forEachRemaining(values::add);
    return values;
  }
}
