package io.infracast.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The real helm CLI that {@code testenv/helm/build.sh} builds, run on the repository's chart. */
public final class Helm {

  public static final Path CHART = Path.of("..", "helm", "infracast-operator");
  private static final Path GO_MOD = Path.of("..", "testenv", "helm", "go.mod");

  private Helm() {}

  /** What helm printed and how it exited. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result orFail() {
      if (exitCode != 0) {
        throw new IllegalStateException("helm exited with " + exitCode + ": " + stderr);
      }
      return this;
    }
  }

  /** Runs helm with {@code args} (HELM_* folders kept inside {@code work}, never the user's). */
  public static Result run(Path work, String... args) {
    var command = new ArrayList<String>();
    command.add(binary().toString());
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command);
    for (var folder : List.of("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME")) {
      builder.environment().put(folder, work.resolve(folder.toLowerCase(java.util.Locale.ROOT)).toString());
    }
    try {
      var stdout = work.resolve("helm.out");
      var stderr = work.resolve("helm.err");
      var process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("helm " + String.join(" ", args) + " did not finish within 60 s");
      }
      return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The objects {@code helm template} renders from the chart with {@code args} (e.g. --set a=b). */
  public static List<HasMetadata> template(Path work, String... args) {
    var command = new ArrayList<>(List.of("template", "infracast-operator", CHART.toString(),
        "--namespace", "infracast-system"));
    command.addAll(List.of(args));
    var yaml = run(work, command.toArray(String[]::new)).orFail().stdout();
    try (var client = new KubernetesClientBuilder().build()) {
      return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }
  }

  /** testenv's helm, of the version testenv/helm/go.mod pins. */
  public static Path binary() {
    var binary = RealApiServer.testDir().resolve("helm").resolve(version()).resolve("helm");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("No helm at " + binary
          + ": run testenv/helm/build.sh (or bin/test, which runs it) to build it");
    }
    return binary;
  }

  private static String version() {
    try {
      var matcher = Pattern.compile("helm\\.sh/helm/v3 v(\\S+)").matcher(Files.readString(GO_MOD));
      if (!matcher.find()) {
        throw new IllegalStateException(GO_MOD + " does not require helm.sh/helm/v3");
      }
      return matcher.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
