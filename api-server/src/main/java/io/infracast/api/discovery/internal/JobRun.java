package io.infracast.api.discovery.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infracast.api.assets.AssetsService;
import io.infracast.api.assets.Edge;
import io.infracast.api.assets.GraphInput;
import io.infracast.api.assets.Node;
import io.infracast.api.discovery.JobStatus;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.JsonBody;
import io.infracast.api.platform.logging.SecretMasker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One claimed job, run by a worker thread: its plugins one after the other, each a {@link PluginProcess} whose
 * stdout lines become nodes (written to the graph in batches as they come), edges (written once every plugin has
 * succeeded, so both ends exist) and log lines. Another thread may {@link #stop} it (cancelled, lease lost, replica
 * stopping); the job's deadline stops it as well.
 */
final class JobRun {
  /** Why a run was stopped from outside its thread. */
  enum Stop {
    /** The job was cancelled: its status says so already. */
    CANCELLED,
    /** This worker no longer holds the job (its lease ran out): another may run it; write nothing. */
    LEASE_LOST,
    /** The replica is stopping: the job is handed back. */
    SHUTDOWN,
    /** The job's deadline passed: it fails. */
    DEADLINE
  }

  /** How a run ended: a final state to write, or nothing (stopped by someone who decides the state). */
  record Outcome(JobStatus status, String error, int nodes, int edges, Stop stoppedBy) {}

  static final String WORKER = "worker";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> LINE_KINDS = Set.of("node", "edge", "log");
  private static final Set<String> LOG_LEVELS = Set.of("info", "warn", "error");
  private static final int NODE_BATCH = 1_000;
  private static final int MAX_LOG_MESSAGE = 4_000;

  private final JobRepository.Claimed job;
  private final String worker;
  private final WorkerSettings settings;
  private final Path pluginDir;
  private final Map<String, String> pluginEnv;
  private final AssetsService assets;
  private final JobLog log;
  private final ScheduledExecutorService scheduler;
  private final Transactions transactions;
  private final CredentialVault vault;
  /** The credential's secret values: plugins get them on stdin; they never reach the job's log or error. */
  private final List<String> secrets = new ArrayList<>();

  private volatile Stop stopped;
  private volatile PluginProcess current;
  /** Until when (System.nanoTime) this worker's lease on the job is known to hold. */
  private volatile long leaseUntil;
  private final List<Node> nodes = new ArrayList<>();
  private final List<Edge> edges = new ArrayList<>();
  private int nodeCount;
  /** The running plugin's last {@code error} log line: the reason it gives for failing. */
  private String lastError;

  JobRun(JobRepository.Claimed job, String worker, WorkerSettings settings, Path pluginDir,
      Map<String, String> pluginEnv, AssetsService assets, Transactions transactions, JobRepository repository,
      CredentialVault vault, ScheduledExecutorService scheduler) {
    this.job = job;
    this.worker = worker;
    this.settings = settings;
    this.pluginDir = pluginDir;
    this.pluginEnv = pluginEnv;
    this.assets = assets;
    this.scheduler = scheduler;
    this.transactions = transactions;
    this.vault = vault;
    this.log = new JobLog(transactions, repository, job.tenantId(), job.id(), settings.maxLogLines());
  }

  JobRepository.Claimed job() {
    return job;
  }

  void leaseRenewed(long untilNanos) {
    leaseUntil = untilNanos;
  }

  boolean leaseExpiredBy(long nowNanos) {
    return nowNanos - leaseUntil > 0;
  }

  /** Stops the run from another thread: the running plugin's processes get SIGTERM now, SIGKILL after the grace. */
  synchronized void stop(Stop why) {
    if (stopped != null) {
      return;
    }
    stopped = why;
    PluginProcess p = current;
    if (p != null) {
      int stopping = p.terminate().size();
      if (why != Stop.LEASE_LOST) {
        log.append("warn", WORKER, describe(why) + ": stopping the plugin's " + stopping + " process(es) (SIGTERM, "
            + "SIGKILL " + PluginProcess.GRACE.toSeconds() + " s later)");
      }
    }
  }

  /** Writes waiting log lines (called periodically). */
  void tick() {
    log.flush();
  }

  /**
   * Runs the job; its log is written out before this returns, so before the job's final state (a line a stop
   * adds later is written at once).
   */
  Outcome run() {
    try {
      return runPlugins();
    } finally {
      log.close();
    }
  }

  private Outcome runPlugins() {
    if (job.previousWorker() != null) {
      log.append("warn", WORKER, "worker " + job.previousWorker() + " stopped renewing its lease on this job");
    }
    log.append("info", WORKER, "worker " + worker + " runs the job (attempt " + job.attempt() + " of "
        + settings.maxAttempts() + ")");
    JsonNode credential = NullNode.getInstance();
    if (job.credentialId() != null) {
      try {
        credential = vault.open(transactions, job.tenantId(), job.credentialId());
      } catch (CredentialVault.Unavailable e) {
        return failed(e.getMessage());
      }
      collectSecrets(credential);
      // Longest first: a value inside another is then masked as part of it.
      secrets.sort(Comparator.comparingInt(String::length).reversed());
      log.append("info", WORKER, "plugins get credential " + job.credentialId());
    }
    Duration timeout = Duration.ofSeconds(job.config().path("timeout_seconds")
        .asLong(settings.defaultTimeout().toSeconds()));
    ScheduledFuture<?> deadline = scheduler.schedule(() -> stop(Stop.DEADLINE), timeout.toMillis(),
        TimeUnit.MILLISECONDS);
    try {
      for (String plugin : job.plugins()) {
        runPlugin(plugin, credential);
        if (stopped != null) {
          break;
        }
      }
      if (stopped == null) {
        flushNodes();
        for (int i = 0; i < edges.size() && stopped == null; i += AssetsService.MAX_BULK) {
          assets.ingestEdges(job.tenantId(), job.id(), edges.subList(i, Math.min(edges.size(),
              i + AssetsService.MAX_BULK)));
        }
      }
    } catch (Failure f) {
      return failed(f.getMessage());
    } catch (ApiException | Transactions.DatabaseException e) {
      return failed("the graph refused the plugins' results: " + e.getMessage());
    } finally {
      deadline.cancel(false);
    }
    if (stopped == Stop.DEADLINE) {
      return failed("the job did not finish within its deadline of " + timeout.toSeconds() + " s");
    }
    if (stopped != null) {
      return new Outcome(null, null, 0, 0, stopped);
    }
    String done = "succeeded: " + nodeCount + " nodes, " + edges.size() + " edges";
    log.append("info", WORKER, done + log.droppedNote());
    return new Outcome(JobStatus.SUCCEEDED, null, nodeCount, edges.size(), null);
  }

  private Outcome failed(String reason) {
    if (stopped != null && stopped != Stop.DEADLINE) {
      // Killing the plugin made it fail; the stopper decides the job's state.
      return new Outcome(null, null, 0, 0, stopped);
    }
    String error = hide(reason);
    log.append("error", WORKER, "failed: " + error + log.droppedNote());
    return new Outcome(JobStatus.FAILED, error, nodeCount, 0, null);
  }

  private void runPlugin(String plugin, JsonNode credential) throws Failure {
    Path executable = pluginDir.resolve(plugin);
    if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
      throw new Failure("plugin " + plugin + " is not an executable file in the plugin folder any more");
    }
    ObjectNode request = JSON.createObjectNode();
    request.put("job_id", job.id().toString());
    request.put("tenant", job.tenantSlug());
    request.set("config", job.config());
    request.set("credential", credential);
    log.append("info", WORKER, "running plugin " + plugin);
    lastError = null;
    PluginProcess p;
    try {
      p = PluginProcess.start(executable, request.toString().getBytes(StandardCharsets.UTF_8), pluginEnv,
          line -> log.append("warn", plugin + ":stderr", hide(line)));
    } catch (IOException e) {
      throw new Failure("plugin " + plugin + " could not be started: " + e.getMessage());
    }
    current = p;
    try {
      if (stopped != null) {
        return;
      }
      readOutput(plugin, p.stdout());
      int code = p.waitFor();
      List<PluginProcess.Member> left = p.leftovers();
      // After a stop the processes still there are the ones being stopped, not the plugin's leftovers.
      if (stopped == null && (code != 0 || !left.isEmpty())) {
        String last = lastError != null ? lastError : p.lastStderrLine();
        String exit = code == 0 ? "plugin " + plugin + " exited" : "plugin " + plugin + " exited with code " + code
            + (last == null ? "" : ": " + last);
        throw new Failure(left.isEmpty() ? exit : exit + ", leaving " + leftBehind(left));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("the worker was interrupted");
    } finally {
      current = null;
      closeQuietly(p);
    }
  }

  /** "2 processes behind (pid 12 sleep, pid 13 sh); they were killed". */
  private static String leftBehind(List<PluginProcess.Member> left) {
    int n = left.size();
    return n + (n == 1 ? " process" : " processes") + " behind (" + left.stream().limit(5).map(Object::toString)
        .collect(Collectors.joining(", ")) + (n > 5 ? ", ..." : "") + "); " + (n == 1 ? "it was" : "they were")
        + " killed";
  }

  /** No process of the plugin outlives its run, whatever ended it (a failure, a stop, its exit). */
  private static void closeQuietly(PluginProcess p) {
    try {
      p.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readOutput(String plugin, InputStream out) throws Failure {
    long bytes = 0;
    long lines = 0;
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    try (out) {
      for (int n = out.read(buffer); n >= 0; n = out.read(buffer)) {
        bytes += n;
        if (bytes > settings.maxOutputBytes()) {
          throw new Failure("plugin " + plugin + " wrote more than the output limit of " + settings.maxOutputBytes()
              + " bytes");
        }
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            line.write(buffer, start, i - start);
            start = i + 1;
            if (++lines > settings.maxOutputLines()) {
              throw new Failure("plugin " + plugin + " wrote more than the output limit of "
                  + settings.maxOutputLines() + " lines");
            }
            handle(plugin, lines, line.toByteArray());
            line.reset();
          }
        }
        line.write(buffer, start, n - start);
        if (line.size() > settings.maxLineBytes()) {
          throw new Failure("plugin " + plugin + " line " + (lines + 1) + " is longer than "
              + settings.maxLineBytes() + " bytes");
        }
      }
      if (line.size() > 0) {
        handle(plugin, lines + 1, line.toByteArray());
      }
    } catch (IOException e) {
      // Its stdout closed under us: it was killed (stop) or died; the exit code tells which.
    }
  }

  /** One stdout line: a node, an edge or a log line; anything else fails the job naming the line. */
  private void handle(String plugin, long number, byte[] bytes) throws Failure {
    if (stopped != null || isBlank(bytes)) {
      return;
    }
    String at = "plugin " + plugin + " line " + number + ": ";
    JsonNode value;
    try {
      value = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new Failure(at + "not JSON (" + preview(bytes) + ")");
    }
    if (value == null || !value.isObject() || value.size() != 1 || !LINE_KINDS.contains(value.fieldNames().next())
        || !value.elements().next().isObject()) {
      throw new Failure(at + "expected {\"node\":{...}}, {\"edge\":{...}} or {\"log\":{...}}, got "
          + preview(bytes));
    }
    String kind = value.fieldNames().next();
    ObjectNode body = (ObjectNode) value.get(kind);
    try {
      switch (kind) {
        case "node" -> {
          nodes.add(GraphInput.node(JsonBody.of(body, GraphInput.NODE_FIELDS)));
        }
        case "edge" -> {
          Edge edge = GraphInput.edge(JsonBody.of(body, GraphInput.EDGE_FIELDS));
          if (!AssetsService.EDGE_TYPES.contains(edge.type())) {
            throw new Failure(at + "edge type must be one of " + String.join(", ",
                AssetsService.EDGE_TYPES.stream().sorted().toList()) + ", got '" + edge.type() + "'");
          }
          edges.add(edge);
        }
        default -> {
          JsonBody logLine = JsonBody.of(body, Set.of("level", "message"));
          String level = logLine.requiredString("level");
          if (!LOG_LEVELS.contains(level)) {
            throw new Failure(at + "log level must be info, warn or error, got '" + level + "'");
          }
          String message = logLine.requiredString("message");
          String hidden = hide(message);
          String shown = hidden.length() > MAX_LOG_MESSAGE ? hidden.substring(0, MAX_LOG_MESSAGE) + "..." : hidden;
          log.append(level, plugin, shown);
          if (level.equals("error")) {
            lastError = shown;
          }
        }
      }
    } catch (ApiException e) {
      throw new Failure(at + kind + ": " + e.getMessage());
    }
    if (nodes.size() >= NODE_BATCH) {
      flushNodes();
    }
  }

  private void flushNodes() {
    if (!nodes.isEmpty()) {
      nodeCount += assets.ingestNodes(job.tenantId(), job.id(), List.copyOf(nodes)).received();
      nodes.clear();
    }
  }

  /** The secret's text values of 4 characters or more (shorter ones would mask ordinary words). */
  private void collectSecrets(JsonNode value) {
    if (value.isContainerNode()) {
      value.forEach(this::collectSecrets);
    } else if (value.isValueNode() && value.asText().length() >= 4) {
      secrets.add(value.asText());
    }
  }

  /** {@code text} with the credential's secret values masked: a plugin may echo what it was given. */
  private String hide(String text) {
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, SecretMasker.MASK);
    }
    return out;
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private static String preview(byte[] bytes) {
    String s = new String(bytes, 0, Math.min(bytes.length, 80), StandardCharsets.UTF_8);
    try {
      return JSON.writeValueAsString(bytes.length > 80 ? s + "..." : s);
    } catch (JsonProcessingException e) {
      return "?";
    }
  }

  private static String describe(Stop why) {
    return switch (why) {
      case CANCELLED -> "cancelled";
      case SHUTDOWN -> "this replica is stopping (the job is handed back to run again)";
      case DEADLINE -> "deadline passed";
      case LEASE_LOST -> "lease lost";
    };
  }

  /** A reason the job fails, shown to the user as the job's error. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message, null, false, false);
    }
  }
}
