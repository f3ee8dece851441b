package io.infracast.api;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The layout rules: a kernel ({@code platform}) that imports no domain, domains without cycles that use each other
 * only through the door (the service class and the API types in a domain's top-level package, never its
 * {@code *Module} or anything below it), and only the composition root ({@code Main}, {@code Application}) knowing
 * both. Checked on the service's classes, and shown to fail on a fixture that breaks each rule.
 */
class ArchitectureTest {
  private static final String ROOT = "io.infracast.api";
  private static final String FIXTURE = "io.infracast.archfixture";

  /** The rules for the packages under {@code root}, by name. */
  static Map<String, ArchRule> rules(String root) {
    String kernel = root + ".platform..";
    return Map.of(
        "kernel", noClasses().that().resideInAPackage(kernel)
            .should().dependOnClassesThat(resideInAPackage(root + "..").and(not(resideInAPackage(kernel))))
            .because("the kernel imports no domain"),
        "root", noClasses().that().resideOutsideOfPackage(root)
            .should().dependOnClassesThat().resideInAPackage(root)
            .because("only the composition root knows both the kernel and the domains"),
        "cycles", slices().matching(root + ".(*)..").should().beFreeOfCycles(),
        "doors", classes().that().resideInAPackage(root + ".*..").and().resideOutsideOfPackage(kernel)
            .should(useOtherDomainsOnlyThroughTheirDoor(root)));
  }

  @Test
  void theServiceKeepsTheLayout() {
    JavaClasses service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
    assertThat(service.contain(ROOT + ".meta.MetaService")).isTrue();
    rules(ROOT).values().forEach(rule -> rule.check(service));
  }

  @Test
  void eachRuleCatchesItsViolation() {
    JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE);
    Map<String, ArchRule> rules = rules(FIXTURE);
    assertThatThrownBy(() -> rules.get("kernel").check(fixture)).hasMessageContaining("KernelUsesADomain");
    assertThatThrownBy(() -> rules.get("root").check(fixture)).hasMessageContaining("KernelUsesTheRoot");
    assertThatThrownBy(() -> rules.get("cycles").check(fixture))
        .hasMessageContaining("alpha.AlphaService").hasMessageContaining("beta.BetaService");
    assertThatThrownBy(() -> rules.get("doors").check(fixture))
        .hasMessageContaining("beta.internal.BetaRepository").hasMessageContaining("beta.BetaModule")
        .hasMessageNotContaining("<" + FIXTURE + ".beta.BetaService>");
  }

  private static ArchCondition<JavaClass> useOtherDomainsOnlyThroughTheirDoor(String root) {
    return new ArchCondition<>("use other domains only through their service and API types") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        String own = domainOf(root, item);
        for (Dependency d : item.getDirectDependenciesFromSelf()) {
          JavaClass target = d.getTargetClass().getBaseComponentType();
          String other = domainOf(root, target);
          if (other == null || other.equals(own)) {
            continue;
          }
          boolean door = target.getPackageName().equals(root + "." + other)
              && !target.getSimpleName().endsWith("Module");
          if (!door) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }

  /** The domain a class belongs to, or null for the kernel, the root and anything outside. */
  private static String domainOf(String root, JavaClass c) {
    String pkg = c.getPackageName();
    if (!pkg.startsWith(root + ".")) {
      return null;
    }
    String domain = pkg.substring(root.length() + 1).split("\\.")[0];
    return domain.equals("platform") ? null : domain;
  }
}
