package io.infracast.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code tofu} and {@code terraform-config-inspect} that {@code testenv/opentofu/build.sh} builds into
 * {@code ${KUBE_API_TEST_DIR:-~/.kubeapitest}/opentofu/<version>/}, with an empty CLI configuration so no
 * user setting (plugin cache, mirrors, credentials) changes what the tests see.
 */
final class OpenTofu {

  static final String VERSION = System.getProperty("infracast.opentofu.version", "1.12.6");
  /** The repository's terraform/ folder (Maven runs tests in terraform-tests/). */
  static final Path TERRAFORM = Path.of("..", "terraform").toAbsolutePath().normalize();

  record Result(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  private OpenTofu() {}

  static Result tofu(Path workDir, String... args) {
    var command = new ArrayList<String>();
    command.add(binary("tofu").toString());
    command.addAll(List.of(args));
    return run(workDir, command);
  }

  static Result inspect(Path module) {
    return run(TERRAFORM, List.of(binary("terraform-config-inspect").toString(), "--json", module.toString()));
  }

  private static Path binary(String name) {
    var dir = Path.of(System.getenv().getOrDefault("KUBE_API_TEST_DIR",
        Path.of(System.getProperty("user.home"), ".kubeapitest").toString()));
    var binary = dir.resolve("opentofu").resolve(VERSION).resolve(name);
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("No " + name + " " + VERSION + " at " + binary
          + ": run testenv/opentofu/build.sh (or bin/test, which runs it) to build OpenTofu");
    }
    return binary;
  }

  private static Result run(Path workDir, List<String> command) {
    try {
      var emptyConfig = Files.createTempFile("tofurc", "");
      var out = Files.createTempFile("tofu-out", ".txt");
      var err = Files.createTempFile("tofu-err", ".txt");
      try {
        var builder = new ProcessBuilder(command).directory(workDir.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("TF_CLI_CONFIG_FILE", emptyConfig.toString());
        builder.environment().put("TF_IN_AUTOMATION", "1");
        builder.environment().put("NO_COLOR", "1");
        var process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new IllegalStateException("timed out after 5 minutes: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.delete(emptyConfig);
        Files.delete(out);
        Files.delete(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }
}
