package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;

/**
 * Runs the Argo CD health checks under {@code examples/argocd/resource_customizations} as Argo CD's own test
 * harness does: every {@code health.lua} against each case of the {@code health_test.yaml} beside it, the input
 * decoded from YAML as Argo CD decodes it (numbers as Lua numbers), the returned table read as a health status.
 * Only the libraries Argo CD opens for a health check from argocd-cm without {@code useOpenLibs} are loaded (base,
 * package, table), so a script that needs the string library fails here rather than in the user's Argo CD.
 */
class ArgoHealthCheckTest {

  private static final Path CUSTOMIZATIONS = Path.of("..", "examples", "argocd", "resource_customizations");
  private static final Path INSTALLATION = CUSTOMIZATIONS.resolve("infracast.io/InfracastInstallation");
  /** The codes Argo CD accepts from a health script; any other becomes Unknown. */
  private static final Set<String> VALID = Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing",
      "Unknown");
  private static final YAMLMapper YAML = new YAMLMapper();

  record HealthStatus(String status, String message) {}

  record Case(Path dir, String inputPath, HealthStatus expected) {
    String name() {
      return CUSTOMIZATIONS.relativize(dir.resolve(inputPath)).toString().replace('\\', '/');
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCaseOfEveryHealthTestYaml() throws IOException {
    var cases = cases();
    assertThat(cases).as("health checks under %s", CUSTOMIZATIONS.toAbsolutePath()).isNotEmpty();
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      var script = Files.readString(c.dir().resolve("health.lua"));
      var input = YAML.readTree(c.dir().resolve(c.inputPath()).toFile());
      assertThat(health(script, input)).isEqualTo(c.expected());
    }));
  }

  @Test
  void testdataCoversEveryHealthStatusAndEveryFileIsATestCase() throws IOException {
    var cases = cases().stream().filter(c -> c.dir().equals(INSTALLATION)).toList();
    assertThat(cases).extracting(c -> c.expected().status())
        .contains("Healthy", "Progressing", "Degraded", "Suspended");
    List<String> files;
    try (var listing = Files.list(INSTALLATION.resolve("testdata"))) {
      files = listing.map(p -> "testdata/" + p.getFileName()).sorted().toList();
    }
    assertThat(cases).extracting(Case::inputPath).containsExactlyInAnyOrderElementsOf(files);
  }

  /** A script that reaches for the string library fails as it would in Argo CD without useOpenLibs. */
  @Test
  void theStringLibraryIsNotThere() {
    var globals = globals(YAML.createObjectNode());
    assertThatThrownBy(() -> globals.load("return { status = string.upper('healthy') }").call())
        .isInstanceOf(LuaError.class).hasMessageContaining("index");
  }

  private static List<Case> cases() throws IOException {
    List<Path> scripts;
    try (var walk = Files.walk(CUSTOMIZATIONS)) {
      scripts = walk.filter(p -> p.getFileName().toString().equals("health.lua")).sorted().toList();
    }
    var cases = new ArrayList<Case>();
    for (var script : scripts) {
      var dir = script.getParent();
      for (var test : YAML.readTree(dir.resolve("health_test.yaml").toFile()).path("tests")) {
        var expected = test.path("healthStatus");
        cases.add(new Case(dir, test.path("inputPath").asText(),
            new HealthStatus(expected.path("status").asText(), expected.path("message").asText())));
      }
    }
    cases.sort((a, b) -> a.name().compareTo(b.name()));
    return cases;
  }

  /** What Argo CD's ExecuteHealthLua returns for {@code object}. */
  private static HealthStatus health(String script, JsonNode object) {
    var returned = globals(object).load(script, "health.lua").call();
    assertThat(returned.istable()).as("health.lua returns a table, not %s", returned.typename()).isTrue();
    var status = returned.get("status").optjstring("");
    if (!VALID.contains(status)) {
      return new HealthStatus("Unknown", "Lua returned an invalid health status");
    }
    return new HealthStatus(status, returned.get("message").optjstring(""));
  }

  private static Globals globals(JsonNode object) {
    var globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    LoadState.install(globals);
    LuaC.install(globals);
    globals.set("obj", lua(object));
    return globals;
  }

  /** As Argo CD's decodeValue: objects and arrays become tables, numbers Lua numbers, null nil. */
  private static LuaValue lua(JsonNode node) {
    if (node.isObject()) {
      var table = new LuaTable();
      node.properties().forEach(e -> table.rawset(e.getKey(), lua(e.getValue())));
      return table;
    }
    if (node.isArray()) {
      return LuaValue.listOf(StreamSupport.stream(node.spliterator(), false).map(ArgoHealthCheckTest::lua)
          .toArray(LuaValue[]::new));
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    return node.isNull() || node.isMissingNode() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
  }
}
