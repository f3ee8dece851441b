package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.InfracastInstallationSpec;
import io.infracast.operator.dependent.ObjectNames;
import io.infracast.operator.migration.MigrationJobNames;
import io.infracast.operator.migration.Versions;
import io.infracast.operator.testing.Installations;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The CRD admits names of at most {@link InfracastInstallation#MAX_NAME_LENGTH} characters; every object the
 * operator names after the installation must then still have a name Kubernetes accepts. Reads ObjectNames by
 * reflection, so a new or longer suffix fails here rather than on a cluster.
 */
class ObjectNamesTest {

  /** A DNS-1035 label (what a Service name must be), which is also a DNS-1123 label and subdomain. */
  private static final String DNS_1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final int MAX_LABEL_LENGTH = 63;

  private static String nameOfLength(int length) {
    return ("tenant-" + "abcdefghij-".repeat(10)).substring(0, length - 1) + "9";
  }

  private static Map<String, String> derivedNames(String installationName) throws Exception {
    var installation = Installations.development("ns", installationName);
    var names = new TreeMap<String, String>();
    for (Method method : nameMethods()) {
      names.put(method.getName(), (String) method.invoke(null, installation));
    }
    return names;
  }

  private static List<Method> nameMethods() {
    return Arrays.stream(ObjectNames.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getReturnType() == String.class)
        .filter(m -> Arrays.equals(m.getParameterTypes(), new Class<?>[] {InfracastInstallation.class}))
        .toList();
  }

  @Test
  void everyNameDerivedFromTheLongestAdmittedNameIsValid() throws Exception {
    var longest = nameOfLength(InfracastInstallation.MAX_NAME_LENGTH);
    assertThat(longest).matches(DNS_1035_LABEL);

    var names = derivedNames(longest);
    assertThat(names).as("ObjectNames' name methods").hasSizeGreaterThanOrEqualTo(4);
    assertThat(names).allSatisfy((method, name) -> assertThat(name).as("ObjectNames.%s", method)
        .matches(DNS_1035_LABEL).hasSizeLessThanOrEqualTo(MAX_LABEL_LENGTH));
  }

  @Test
  void theAdmittedLengthIsNotStricterThanNeeded() throws Exception {
    var names = derivedNames(nameOfLength(InfracastInstallation.MAX_NAME_LENGTH + 1));
    assertThat(names.values()).as("one character more makes some derived name too long")
        .anyMatch(name -> name.length() > MAX_LABEL_LENGTH);
  }

  @Test
  void migrationJobNamesOfTheLongestNameAndVersionAreValid() {
    var longest = nameOfLength(InfracastInstallation.MAX_NAME_LENGTH);
    var version = "1.0.0-" + "rc.".repeat(30).substring(0, InfracastInstallationSpec.MAX_VERSION_LENGTH - 7) + "1";
    assertThat(version).hasSize(InfracastInstallationSpec.MAX_VERSION_LENGTH).matches(Versions::isVersion);
    for (var name : List.of(MigrationJobNames.of(longest, version, 0), MigrationJobNames.of(longest, version, 7),
        MigrationJobNames.of(longest, "1.0.0", 0))) {
      assertThat(name).matches(DNS_1035_LABEL).hasSizeLessThanOrEqualTo(MAX_LABEL_LENGTH);
    }
  }
}
