package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CRD under crds/ is generated from the api.v1alpha1 classes; this fails the build when it is stale. */
class CommittedCrdTest {

  static final String CRD_FILE = "infracastinstallations.infracast.io-v1.yml";

  @Test
  void committedCrdMatchesTheApiClasses() throws Exception {
    Path generated = Path.of("target", "classes", "META-INF", "fabric8", CRD_FILE);
    Path committed = Path.of("..", "crds", CRD_FILE);
    assertThat(Files.readString(committed))
        .as("crds/%s is stale: after changing the API classes run `mvn -pl operator process-classes` and copy %s"
            + " to crds/", CRD_FILE, generated)
        .isEqualTo(Files.readString(generated));
  }
}
