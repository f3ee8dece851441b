package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.testing.OperatorTestBase;
import io.infracast.operator.testing.RealApiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees with the real kubectl: {@code get ici} (plain and wide) and {@code explain}. */
class PrinterColumnsTest extends OperatorTestBase {

  @TempDir
  static Path workDir;

  @BeforeAll
  static void oneReadyAndOneStuckMigrating() {
    readyAt("steady", "1.0.0");
    readyAt("stuck", "1.0.0");
    jobs.hold();
    editSpec("stuck", spec -> spec.setVersion("1.1.0"));
    await().atMost(TIMEOUT).until(() -> installation("stuck").get().getStatus().getPhase() == Phase.Migrating);
  }

  @AfterAll
  static void releaseMigrations() {
    jobs.release();
  }

  @Test
  void getShowsTheWantedVersionBesideTheServingOneAndAgeLast() throws Exception {
    Map<String, List<String>> table = table(kubectl("get", "ici", "-n", namespace));

    assertThat(table.get("NAME")).containsExactly("READY", "PHASE", "WANTED", "SERVING", "AGE");
    assertThat(table.get("steady")).startsWith("True", "Ready", "1.0.0", "1.0.0");
    assertThat(table.get("stuck")).startsWith("False", "Migrating", "1.1.0", "1.0.0");
    assertThat(table.get("stuck").get(4)).as("Age").matches("\\d+[smhd].*");
  }

  @Test
  void wideAddsTheSchemaVersionAndTheDegradedReason() throws Exception {
    Map<String, List<String>> table = table(kubectl("get", "ici", "-n", namespace, "-o", "wide"));

    assertThat(table.get("NAME"))
        .containsExactly("READY", "PHASE", "WANTED", "SERVING", "SCHEMA", "HEALTH", "AGE");
    assertThat(table.get("steady")).startsWith("True", "Ready", "1.0.0", "1.0.0", "1.0.0", "AsExpected");
    assertThat(table.get("stuck")).as("migrating is no fault")
        .startsWith("False", "Migrating", "1.1.0", "1.0.0", "1.0.0", "AsExpected");
  }

  @Test
  void explainDescribesTheObjectsUnderSpec() throws Exception {
    String explained = kubectl("explain", "ici.spec.database");

    assertThat(explained).contains("DESCRIPTION:").contains("The installation's PostgreSQL 15")
        .doesNotContain("<no description>");
  }

  /** Each line of kubectl's table by its first cell (the header row under NAME), the other cells in order. */
  private static Map<String, List<String>> table(String output) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    output.lines().filter(line -> !line.isBlank()).forEach(line -> {
      var cells = new ArrayList<>(Arrays.asList(line.trim().split("\\s+")));
      rows.put(cells.remove(0), cells);
    });
    return rows;
  }

  private static String kubectl(String... args) throws IOException, InterruptedException {
    Path kubeconfig = workDir.resolve("kubeconfig");
    Files.writeString(kubeconfig, RealApiServer.kubeConfigYaml());
    var command = new ArrayList<>(List.of(RealApiServer.kubectl().toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("kubectl %s finished", String.join(" ", args)).isTrue();
    assertThat(process.exitValue()).as("kubectl %s exit code; it printed:%n%s", String.join(" ", args), output)
        .isZero();
    return output;
  }
}
