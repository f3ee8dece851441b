package io.infracast.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * infracast-settings has no providers, so unlike the AWS modules it runs for real here: its own {@code tofu test}
 * file, and a root module around it that is applied and whose outputs are compared with the table of
 * terraform/README.md, itself compared with the deployment documentation's text.
 */
class SettingsModuleTest {

  private static final Path MODULE = OpenTofu.TERRAFORM.resolve("modules/infracast-settings");
  /** The deployment documentation as delivered (tables flattened to one line per row, cells run together). */
  private static final Path DOCUMENTATION = Path.of("src/test/resources/deployment-architecture.txt");
  private static final Pattern TOFU_TEST_SUMMARY = Pattern.compile("(\\d+) passed, (\\d+) failed");

  @TempDir
  Path root;

  /** tofu links a local module into .terraform/modules; removing the link keeps JUnit's cleanup within root. */
  @AfterEach
  void unlinkModule() throws IOException {
    Files.deleteIfExists(root.resolve(".terraform/modules/settings"));
  }

  @Test
  void itsOwnTofuTestsPass() {
    var result = OpenTofu.tofu(MODULE, "test", "-no-color");

    assertThat(result.exitCode()).as("tofu test in %s:%n%s", MODULE, result.output()).isZero();
    var summary = TOFU_TEST_SUMMARY.matcher(result.stdout());
    assertThat(summary.find()).as("no summary in:%n%s", result.stdout()).isTrue();
    assertThat(Integer.parseInt(summary.group(1))).isGreaterThanOrEqualTo(7);
    assertThat(summary.group(2)).isEqualTo("0");
  }

  record Row(String setting, String dev, String prod, String output) {}

  @Test
  void theReadmeTableIsTheDocumentationsAndBothProfilesMatchIt() throws IOException {
    var rows = readmeTable();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(16);
    var documentation = Files.readAllLines(DOCUMENTATION).stream().map(String::strip).toList();
    for (var row : rows) {
      assertThat(documentation).as("the documentation has no row %s", row)
          .contains(row.setting() + row.dev() + row.prod());
    }

    var dev = apply("environment = \"dev\"");
    var prod = apply("environment = \"prod\"");
    for (var row : rows) {
      assertMatches(row, row.dev(), dev.path(row.output()));
      assertMatches(row, row.prod(), prod.path(row.output()));
    }
  }

  @Test
  void overridesWinAndTheRestKeepsTheProfile() throws IOException {
    var settings = apply("environment = \"dev\"\n ecs_cpu = 1024\n ecs_memory = 3072\n db_multi_az = true");

    assertThat(settings.path("ecs_cpu").asInt()).isEqualTo(1024);
    assertThat(settings.path("ecs_memory").asInt()).isEqualTo(3072);
    assertThat(settings.path("db_multi_az").asBoolean()).isTrue();
    assertThat(settings.path("db_instance_class").asText()).isEqualTo("db.t3.medium");
    assertThat(settings.path("db_backup_retention_days").asInt()).isEqualTo(7);

    var unprotected = apply("environment = \"prod\"\n db_deletion_protection = false");
    assertThat(unprotected.path("db_deletion_protection").asBoolean()).as("false overrides prod's true").isFalse();
    assertThat(unprotected.path("db_multi_az").asBoolean()).isTrue();
  }

  @Test
  void anUnknownEnvironmentIsRefusedWithItsMessage() throws IOException {
    assertThat(planFails("environment = \"staging\"")).contains("environment must be \"dev\" or \"prod\".");
  }

  @Test
  void memoryFargateDoesNotOfferForTheCpuIsRefusedWithTheValidSizes() throws IOException {
    assertThat(planFails("environment = \"prod\"\n ecs_memory = 1024"))
        .contains("ecs_memory 1024 is not a Fargate size for ecs_cpu 1024; valid: 2048, 3072,");
  }

  @Test
  void aCpuSizeFargateLacksIsRefusedWithTheSizes() throws IOException {
    assertThat(planFails("environment = \"dev\"\n ecs_cpu = 1000"))
        .contains("ecs_cpu must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192 or 16384.");
  }

  private static void assertMatches(Row row, String cell, JsonNode value) {
    assertThat(value.isMissingNode()).as("infracast-settings has no output %s", row.output()).isFalse();
    if (value.isBoolean()) {
      // "Yes"/"No", and for encryption "(CMK)" (customer-managed) against "(KMS)" (AWS-managed).
      assertThat(cell.equals("Yes") || cell.endsWith("(CMK)")).as("%s: %s", row, cell).isEqualTo(value.asBoolean());
    } else if (value.isNumber()) {
      var number = Pattern.compile("\\d+").matcher(cell);
      assertThat(number.find()).as("%s: no number in %s", row, cell).isTrue();
      assertThat(value.asInt()).as("%s: %s", row, cell).isEqualTo(Integer.parseInt(number.group()));
    } else {
      assertThat(cell).as("%s", row).contains(value.asText());
    }
  }

  /** The rows of the "Defaults by environment" table of terraform/README.md. */
  private static List<Row> readmeTable() throws IOException {
    var lines = Files.readAllLines(OpenTofu.TERRAFORM.resolve("README.md"));
    var start = lines.indexOf("## Defaults by environment");
    assertThat(start).as("terraform/README.md has no \"## Defaults by environment\" section").isNotNegative();
    var rows = new ArrayList<Row>();
    for (var line : lines.subList(start, lines.size())) {
      if (line.startsWith("## What")) {
        break;
      }
      if (line.startsWith("| ") && !line.startsWith("| Setting")) {
        var cells = line.substring(1, line.length() - 1).split("\\|");
        rows.add(new Row(cells[0].strip(), cells[1].strip(), cells[2].strip(), cells[3].strip().replace("`", "")));
      }
    }
    return rows;
  }

  private JsonNode apply(String arguments) throws IOException {
    writeRoot(arguments);
    var apply = OpenTofu.tofu(root, "apply", "-auto-approve", "-no-color", "-input=false");
    assertThat(apply.exitCode()).as("tofu apply:%n%s", apply.output()).isZero();
    var output = OpenTofu.tofu(root, "output", "-json", "settings");
    assertThat(output.exitCode()).as("tofu output:%n%s", output.output()).isZero();
    return new ObjectMapper().readTree(output.stdout());
  }

  private String planFails(String arguments) throws IOException {
    writeRoot(arguments);
    var plan = OpenTofu.tofu(root, "plan", "-no-color", "-input=false");
    assertThat(plan.exitCode()).as("tofu plan should have failed:%n%s", plan.output()).isNotZero();
    // The message is wrapped at 80 columns in a box: unwrap it.
    return plan.stderr().replaceAll("\\s*│\\s*", " ").replaceAll("\\s+", " ");
  }

  private void writeRoot(String arguments) throws IOException {
    Files.writeString(root.resolve("main.tf"), """
        module "settings" {
          source = "%s"
          %s
        }

        output "settings" {
          value = module.settings
        }
        """.formatted(MODULE, arguments));
    var init = OpenTofu.tofu(root, "init", "-no-color", "-input=false");
    assertThat(init.exitCode()).as("tofu init:%n%s", init.output()).isZero();
  }
}
