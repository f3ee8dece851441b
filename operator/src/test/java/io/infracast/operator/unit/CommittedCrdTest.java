package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD under crds/ and the Helm chart's copy (Helm installs only files inside the chart) are generated from
 * the api.v1alpha1 classes; this fails the build when either is stale.
 */
class CommittedCrdTest {

  static final String CRD_FILE = "infracastinstallations.infracast.io-v1.yml";

  @ParameterizedTest
  @ValueSource(strings = {"crds", "helm/infracast-operator/crds"})
  void committedCrdMatchesTheApiClasses(String folder) throws Exception {
    Path generated = Path.of("target", "classes", "META-INF", "fabric8", CRD_FILE);
    Path committed = Path.of("..").resolve(folder).resolve(CRD_FILE);
    assertThat(Files.readString(committed))
        .as("%s/%s is stale: after changing the API classes run `mvn -pl operator process-classes` and copy %s"
            + " to crds/ and helm/infracast-operator/crds/", folder, CRD_FILE, generated)
        .isEqualTo(Files.readString(generated));
  }
}
