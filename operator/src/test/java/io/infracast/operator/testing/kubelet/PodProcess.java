package io.infracast.operator.testing.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.infracast.contract.RuntimeSettings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One pod of the Infracast image as a local {@code java} process of its image tag's build ({@link ApiBuilds}), or
 * of the OpenTofu runner image as its script with the built {@code tofu} ({@link TofuRunnerBuild}):
 * its environment, start, readiness probe, stop and the last line it printed. State changes happen on the
 * kubelet's loop thread (and {@link #stop} on a stopper thread); the volatile fields let tests read a consistent
 * enough snapshot from their own thread.
 */
final class PodProcess {
  /** SIGTERM, then this long for a graceful exit (the service drains for up to 30 s), then SIGKILL. */
  static final Duration STOP_GRACE = Duration.ofSeconds(35);
  /** The file in the pod's folder that stands for the container's /dev/termination-message path. */
  static final String TERMINATION_LOG = "termination-log";
  /** Kept small: CI has two shared cores and several of these JVMs may run at once. */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-Xss512k", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

  final String namespace;
  final String name;
  final String owner;
  final String template;
  private final Container container;
  private final Map<String, String> podMetadata;
  private final ApiBuilds builds;
  private final Path dir;
  private final Path log;
  private final int port;
  private final LocalKubelet.EventSink events;

  private volatile Process process;
  private volatile boolean ready;
  private volatile Instant readySince;
  private volatile boolean stopping;
  private volatile String waitingReason = "ContainerCreating";
  private volatile String waitingMessage;
  private volatile int restarts;
  private int successes;
  private int failures;

  PodProcess(String namespace, String name, String owner, String template, Container container,
      Map<String, String> podMetadata, ApiBuilds builds, Path workDir, LocalKubelet.EventSink events) {
    this.namespace = namespace;
    this.name = name;
    this.owner = owner;
    this.template = template;
    this.container = container;
    this.podMetadata = podMetadata;
    this.builds = builds;
    this.dir = workDir.resolve(namespace).resolve(name);
    this.log = workDir.resolve(namespace).resolve(name + ".log");
    this.port = LocalKubelet.freePort();
    this.events = events;
  }

  /**
   * Resolves the environment and starts the process, as the kubelet creates a container. An unresolvable
   * reference (missing Secret or key) leaves the pod waiting with CreateContainerConfigError and nothing running.
   */
  boolean start(EnvResolver resolver) {
    if (stopping || alive()) {
      return false;
    }
    Map<String, String> env;
    List<String> args;
    try {
      if (container.getCommand() != null && !container.getCommand().isEmpty()) {
        throw new EnvResolver.ContainerConfigException("LocalKubelet runs the image's entrypoint only: "
            + "container.command is not supported");
      }
      env = resolver.resolve(namespace, name, podMetadata, container);
      args = new ArrayList<>();
      for (String arg : Objects.requireNonNullElse(container.getArgs(), List.<String>of())) {
        args.add(EnvResolver.expand(arg, env));
      }
    } catch (EnvResolver.ContainerConfigException e) {
      if (!"CreateContainerConfigError".equals(waitingReason) || !e.getMessage().equals(waitingMessage)) {
        events.emit(this, LocalKubelet.PodEvent.Type.CONFIG_ERROR, e.getMessage());
      }
      waitingReason = "CreateContainerConfigError";
      waitingMessage = e.getMessage();
      return false;
    }
    var tofu = TofuRunnerBuild.runs(container.getImage());
    List<String> cmd = new ArrayList<>();
    if (tofu) {
      cmd.addAll(TofuRunnerBuild.command(args));
    } else {
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(JVM_OPTIONS);
      cmd.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
      cmd.addAll(builds.javaArgs(container.getImage()));
      cmd.addAll(args);
    }
    try {
      Files.createDirectories(dir.resolve("tmp"));
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      // Only what the container would see: nothing leaks from the test JVM's own environment.
      pb.environment().clear();
      pb.environment().put("PATH", Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin:/bin"));
      pb.environment().put("HOSTNAME", name);
      pb.environment().putAll(env);
      // Every pod has its own IP and listens on API_PORT (8080 from the ConfigMap or the image's ENV); here each
      // pod gets a free local port instead, and the probe and endpointOf use that port.
      pb.environment().put("API_PORT", String.valueOf(port));
      pb.environment().put("INFRACAST_IMAGE", Objects.requireNonNullElse(container.getImage(), ""));
      // The image ships its discovery plugins in PLUGIN_DIR's default folder; here they are the repository's.
      pb.environment().replace(RuntimeSettings.PLUGIN_DIR, RuntimeSettings.DEFAULT_PLUGIN_DIR,
          builds.pluginDir().toString());
      if (tofu) {
        pb.environment().putAll(TofuRunnerBuild.environment(dir));
      }
      process = pb.start();
    } catch (IOException e) {
      waitingReason = "RunContainerError";
      waitingMessage = e.getMessage();
      return false;
    }
    waitingReason = null;
    waitingMessage = null;
    successes = 0;
    failures = 0;
    events.emit(this, LocalKubelet.PodEvent.Type.STARTED, (tofu ? "tofu runner" : "port " + port + ", "
        + builds.describe(container.getImage())) + ", args " + args);
    return true;
  }

  /** Counts a restart of an exited container (the kubelet's restartCount). */
  void restarted() {
    restarts++;
  }

  /** Runs the readiness probe once: HTTP 200-399 is a success, as for the kubelet's httpGet probes. */
  void probe(HttpClient http) {
    if (!alive() || stopping) {
      setReady(false);
      return;
    }
    Probe probe = container.getReadinessProbe();
    if (probe == null || probe.getHttpGet() == null) {
      setReady(true); // no httpGet readiness probe: ready once running
      return;
    }
    boolean ok;
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(endpoint().resolve(path(probe.getHttpGet())))
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
      ok = r.statusCode() >= 200 && r.statusCode() < 400;
    } catch (IOException e) {
      ok = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (ok) {
      failures = 0;
      successes++;
      if (successes >= Objects.requireNonNullElse(probe.getSuccessThreshold(), 1)) {
        setReady(true);
      }
    } else {
      successes = 0;
      failures++;
      if (failures >= Objects.requireNonNullElse(probe.getFailureThreshold(), 3)) {
        setReady(false);
      }
    }
  }

  private static String path(HTTPGetAction get) {
    String p = Objects.requireNonNullElse(get.getPath(), "/");
    return p.startsWith("/") ? p : "/" + p;
  }

  private void setReady(boolean now) {
    if (now != ready) {
      ready = now;
      readySince = now ? Instant.now() : null;
      events.emit(this, now ? LocalKubelet.PodEvent.Type.READY : LocalKubelet.PodEvent.Type.NOT_READY, null);
    }
  }

  /** Ready for at least minReadySeconds: what the Deployment controller counts as available. */
  boolean available(int minReadySeconds) {
    Instant since = readySince;
    return ready && since != null && !since.plusSeconds(minReadySeconds).isAfter(Instant.now());
  }

  /**
   * SIGTERM, wait, then SIGKILL; blocks up to {@link #STOP_GRACE}. Marks the pod not ready first, as the
   * endpoints controller drops a terminating pod before it is gone.
   */
  void stop() {
    stopping = true;
    setReady(false);
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    events.emit(this, LocalKubelet.PodEvent.Type.STOPPING, null);
    p.destroy();
    try {
      if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    events.emit(this, LocalKubelet.PodEvent.Type.STOPPED, exitCode().map(c -> "exit " + c).orElse(null));
  }

  boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  boolean started() {
    return process != null;
  }

  /** The exit code once the process has ended. */
  Optional<Integer> exitCode() {
    Process p = process;
    return p == null || p.isAlive() ? Optional.empty() : Optional.of(p.exitValue());
  }

  boolean ready() {
    return ready;
  }

  boolean stopping() {
    return stopping;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  Path logFile() {
    return log;
  }

  /** The last non-blank line of the container's output (stdout and stderr). */
  String lastLine() {
    String[] lines = tail(16_384).split("\r?\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return lines[i].strip();
      }
    }
    return "";
  }

  /**
   * The failed container's termination message, as the kubelet takes it: what the container wrote to its
   * termination-message file (at most 4096 bytes), else with FallbackToLogsOnError the tail of its log (at most
   * 80 lines and 2048 bytes), else nothing. Here the file is {@link #TERMINATION_LOG} in the pod's folder (the
   * OpenTofu runner writes it; the api-server writes none).
   */
  String terminationMessage() {
    Path file = dir.resolve(TERMINATION_LOG);
    try {
      if (Files.exists(file) && Files.size(file) > 0) {
        return tail(file, 4096);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!"FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())) {
      return "";
    }
    List<String> lines = List.of(tail(2048).stripTrailing().split("\r?\n"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
  }

  /** The last {@code max} bytes of the container's output. */
  private String tail(int max) {
    return Files.exists(log) ? tail(log, max) : "";
  }

  private static String tail(Path file, int max) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, f.length() - max);
      byte[] tail = new byte[(int) (f.length() - start)];
      f.seek(start);
      f.readFully(tail);
      return new String(tail, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  LocalKubelet.PodInfo info() {
    return new LocalKubelet.PodInfo(namespace, name, owner, template, container.getImage(), alive(), ready, restarts,
        waitingReason, waitingMessage, endpoint(), log);
  }
}
