package io.infracast.operator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The packaged operator run as its image runs it: `java -jar`, configured by its environment only. */
public final class OperatorProcess {

  public static final Path JAR = Path.of("target", "infracast-operator.jar");

  private final Process process;
  private final Path log;

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts the jar against the shared real API server; its output (JSON log lines) goes to {@code log}. */
  public static OperatorProcess start(Map<String, String> env, Path log) throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    var kubeconfig = log.resolveSibling(log.getFileName() + ".kubeconfig");
    Files.writeString(kubeconfig, RealApiServer.kubeConfigYaml());
    var builder = new ProcessBuilder("java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().putAll(env);
    return new OperatorProcess(builder.start(), log);
  }

  public Process process() {
    return process;
  }

  public Path log() {
    return log;
  }

  /** SIGKILL: no shutdown hook runs, the Lease is not released, in-flight writes are cut. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** The last {@code count} lines of its log, for a failing test's report. */
  public List<String> tail(int count) throws IOException {
    var lines = Files.readAllLines(log);
    return lines.subList(Math.max(0, lines.size() - count), lines.size());
  }
}
