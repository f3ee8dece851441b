package io.infracast.api.discovery.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One plugin subprocess: started with a clean environment (the service's own settings, such as DATABASE_URL and
 * JWT_SECRET, never reach a plugin), its request written to stdin, stderr read on a thread of its own into the
 * job log (bounded). Every process it starts is remembered ({@link #track}, called while it runs), so that
 * {@link #killTree} and {@link #killLeftovers} also reach children whose parent has already exited.
 */
final class PluginProcess {
  /** Environment variables passed through from the service's own. */
  private static final List<String> PASSED_ENV = List.of("PATH", "LANG", "LC_ALL", "TZ", "TMPDIR");
  /** Stderr kept in the job log per plugin run; the rest is read and dropped so the plugin never blocks. */
  static final int MAX_STDERR_BYTES = 64 * 1024;
  private static final int MAX_STDERR_LINE = 1_000;

  private final Process process;
  private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
  private final Thread stderrReader;
  private volatile String lastStderr;

  private PluginProcess(Process process, Consumer<String> stderrLines) {
    this.process = process;
    this.stderrReader = new Thread(() -> readStderr(process.getErrorStream(), stderrLines),
        "plugin-stderr-" + process.pid());
    stderrReader.setDaemon(true);
    stderrReader.start();
  }

  /**
   * Starts {@code executable} and writes {@code request} (one JSON object) to its stdin.
   *
   * @param env variables the plugin gets besides {@link #PASSED_ENV}
   * @param stderrLines receives stderr lines while they fit in {@link #MAX_STDERR_BYTES}
   */
  static PluginProcess start(Path executable, byte[] request, Map<String, String> env, Consumer<String> stderrLines)
      throws IOException {
    // Absolute: the command is resolved after changing into the plugin folder.
    ProcessBuilder builder = new ProcessBuilder(executable.toAbsolutePath().toString());
    Map<String, String> environment = builder.environment();
    Map<String, String> own = Map.copyOf(environment);
    environment.clear();
    PASSED_ENV.stream().filter(own::containsKey).forEach(k -> environment.put(k, own.get(k)));
    environment.putAll(env);
    builder.directory(executable.getParent().toFile());
    PluginProcess plugin = new PluginProcess(builder.start(), stderrLines);
    try (OutputStream stdin = plugin.process.getOutputStream()) {
      stdin.write(request);
    } catch (IOException e) {
      // A plugin that does not read its request closes stdin early: its output and exit code tell what happened.
    }
    return plugin;
  }

  InputStream stdout() {
    return process.getInputStream();
  }

  /** Remembers the processes the plugin has started so far. */
  void track() {
    if (process.isAlive()) {
      process.descendants().forEach(seen::add);
    }
  }

  /** Kills the plugin and every process it started; answers how many were still alive. */
  int killTree() {
    track();
    int killed = process.isAlive() && process.toHandle().destroyForcibly() ? 1 : 0;
    return killed + killLeftovers();
  }

  /** Kills the processes the plugin started that are still running (after it exited); answers how many. */
  int killLeftovers() {
    int killed = 0;
    for (ProcessHandle p : seen) {
      // A ProcessHandle knows its process's start time: a pid reused by an unrelated process is never signalled.
      if (p.isAlive() && p.destroyForcibly()) {
        killed++;
      }
    }
    return killed;
  }

  /** Waits for the exit (after stdout ended) and for the stderr reader; answers the exit code. */
  int waitFor() throws InterruptedException {
    int code = process.waitFor();
    stderrReader.join(1_000);
    return code;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The last stderr line the plugin wrote, or null (for the failure message). */
  String lastStderrLine() {
    return lastStderr;
  }

  private void readStderr(InputStream err, Consumer<String> lines) {
    long kept = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String shown = line.length() > MAX_STDERR_LINE ? line.substring(0, MAX_STDERR_LINE) + "..." : line;
        lastStderr = shown;
        boolean wasKept = kept <= MAX_STDERR_BYTES;
        kept += shown.length() + 1;
        if (kept <= MAX_STDERR_BYTES) {
          lines.accept(shown);
        } else if (wasKept) {
          lines.accept("(more stderr not kept: over " + MAX_STDERR_BYTES / 1024 + " KiB)");
        }
      }
    } catch (IOException e) {
      // The process was killed: its stderr is closed.
    }
  }
}
