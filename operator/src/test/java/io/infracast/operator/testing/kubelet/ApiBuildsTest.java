package io.infracast.operator.testing.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The image tag to build map the local kubelet documents. */
class ApiBuildsTest {

  @Test
  void tagsBelowTheNewerBuildRunTheJarAndLaterTagsKeepItsMigrations() {
    Path jar = LocalKubelet.defaultJar();
    assumeTrue(Files.isRegularFile(jar), "no api-server jar at " + jar);
    ApiBuilds builds = new ApiBuilds(jar);
    String plain = "infracast-api-server.jar";
    String newer = plain + " + api-builds/1.1.0";

    assertThat(builds.describe("infracast/vulcan-api:1.0.0")).isEqualTo(plain);
    assertThat(builds.describe("infracast/vulcan-api:1.0.0-test")).isEqualTo(plain);
    assertThat(builds.describe("infracast/vulcan-api:1.1.0-rc.1")).isEqualTo(plain);
    assertThat(builds.describe("infracast/vulcan-api:latest")).isEqualTo(plain);
    assertThat(builds.describe("infracast/vulcan-api")).isEqualTo(plain);
    assertThat(builds.describe("registry.local:5000/infracast/vulcan-api:1.1.0")).isEqualTo(newer);
    assertThat(builds.describe("infracast/vulcan-api:1.2.0")).isEqualTo(newer);
    assertThat(builds.describe("infracast/vulcan-api:10.0.0")).isEqualTo(newer);

    assertThat(builds.javaArgs("infracast/vulcan-api:1.0.0")).containsExactly("-jar", jar.toString());
    assertThat(builds.javaArgs("infracast/vulcan-api:1.1.0")).hasSize(3).endsWith("io.infracast.api.Main");
  }
}
