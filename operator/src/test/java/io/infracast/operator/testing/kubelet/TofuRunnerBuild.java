package io.infracast.operator.testing.kubelet;

import io.infracast.operator.testing.RealApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a pod of the OpenTofu runner image (terraform/runner/) runs here: the image's entrypoint,
 * terraform/runner/runner.sh, with the {@code tofu} testenv/ builds on its PATH and the test resources'
 * {@code tofu-modules/} (a provider-free stand-in for infracast-data) as the image's modules. Instead of the
 * in-cluster configuration, OpenTofu's kubernetes backend gets a kubeconfig of the test API server.
 */
final class TofuRunnerBuild {
  private static final String VERSION = System.getProperty("infracast.opentofu.version", "1.12.6");
  private static final Path RUNNER = Path.of("..", "terraform", "runner", "runner.sh").toAbsolutePath().normalize();

  private TofuRunnerBuild() {}

  /** Whether {@code image} is the runner's: any repository named {@code tofu-runner}, any tag. */
  static boolean runs(String image) {
    var name = image == null ? "" : image.substring(image.lastIndexOf('/') + 1);
    return name.equals("tofu-runner") || name.startsWith("tofu-runner:") || name.startsWith("tofu-runner@");
  }

  static List<String> command(List<String> args) {
    var command = new ArrayList<>(List.of("/bin/sh", RUNNER.toString()));
    command.addAll(args);
    return command;
  }

  /** The environment the image and the cluster would give, in the pod's own folder. */
  static Map<String, String> environment(Path podDir) {
    var tofu = Path.of(System.getenv().getOrDefault("KUBE_API_TEST_DIR",
        Path.of(System.getProperty("user.home"), ".kubeapitest").toString()), "opentofu", VERSION);
    if (!Files.isExecutable(tofu.resolve("tofu"))) {
      throw new IllegalStateException("run testenv/opentofu/build.sh to build OpenTofu " + VERSION);
    }
    try {
      var kubeconfig = Files.writeString(podDir.resolve("kubeconfig"), RealApiServer.kubeConfigYaml());
      var cliConfig = Files.writeString(podDir.resolve("tofurc"), "");
      var modules = Path.of(TofuRunnerBuild.class.getClassLoader().getResource("tofu-modules").toURI());
      return Map.of(
          "PATH", tofu + ":/usr/bin:/bin",
          "INFRACAST_MODULES", modules.toString(),
          "KUBE_IN_CLUSTER_CONFIG", "false",
          "KUBE_CONFIG_PATH", kubeconfig.toString(),
          "TF_CLI_CONFIG_FILE", cliConfig.toString(),
          "TERMINATION_LOG", podDir.resolve(PodProcess.TERMINATION_LOG).toString(),
          "TMPDIR", podDir.resolve("tmp").toString(),
          "HOME", podDir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
