package io.infracast.api.discovery.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One plugin subprocess: started with a clean environment (the service's own settings, such as DATABASE_URL and
 * JWT_SECRET, never reach a plugin), its request written to stdin, stderr read on a thread of its own into the
 * job log (bounded).
 *
 * <p>Its processes: the plugin starts in a session of its own ({@code setsid}), and its environment carries a
 * marker unique to this run ({@link #RUN_ENV}). A process of the plugin is any live process in that session or
 * with that marker in its environment (read from /proc): a child re-parented to init by a double fork stays in
 * the session, one that also called setsid still carries the marker. Stopping them is SIGTERM, then SIGKILL
 * {@link #GRACE} later; when the plugin itself exits, whatever of it still runs is a leftover and is stopped too.
 */
final class PluginProcess {
  /** Environment variables passed through from the service's own. */
  private static final List<String> PASSED_ENV = List.of("PATH", "LANG", "LC_ALL", "TZ", "TMPDIR");
  /** The variable marking every process of one plugin run. */
  static final String RUN_ENV = "INFRACAST_PLUGIN_RUN";
  /** How long the plugin's processes have between SIGTERM and SIGKILL. */
  static final Duration GRACE = Duration.ofSeconds(2);
  /** Stderr kept in the job log per plugin run; the rest is read and dropped so the plugin never blocks. */
  static final int MAX_STDERR_BYTES = 64 * 1024;
  private static final int MAX_STDERR_LINE = 1_000;
  /** SIGKILL rounds: a process may fork while its group is being killed. */
  private static final int KILL_ROUNDS = 20;
  private static final ScheduledExecutorService KILLER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "plugin-killer");
    t.setDaemon(true);
    return t;
  });

  /** A live process of the plugin: its handle (which knows its start time, so a reused pid is never signalled). */
  record Member(ProcessHandle handle, String command) {
    @Override
    public String toString() {
      return "pid " + handle.pid() + " " + command;
    }
  }

  private final Process process;
  private final String marker;
  private final Thread stderrReader;
  private final CompletableFuture<List<Member>> leftovers;
  private volatile String lastStderr;

  private PluginProcess(Process process, String marker, Consumer<String> stderrLines) {
    this.process = process;
    this.marker = marker;
    this.stderrReader = new Thread(() -> readStderr(process.getErrorStream(), stderrLines),
        "plugin-stderr-" + process.pid());
    stderrReader.setDaemon(true);
    stderrReader.start();
    // At once when the plugin exits: a leftover holding stdout open would otherwise keep the run reading.
    this.leftovers = process.onExit().thenApply(p -> terminate());
  }

  /**
   * Starts {@code executable} in a session of its own and writes {@code request} (one JSON object) to its stdin.
   *
   * @param env variables the plugin gets besides {@link #PASSED_ENV}
   * @param stderrLines receives stderr lines while they fit in {@link #MAX_STDERR_BYTES}
   */
  static PluginProcess start(Path executable, byte[] request, Map<String, String> env, Consumer<String> stderrLines)
      throws IOException {
    // setsid (util-linux) makes the plugin a session leader in place (a child of the JVM leads no process group,
    // so it does not fork; --wait keeps the exit code should it ever have to). Absolute: the command is resolved
    // after changing into the plugin folder.
    ProcessBuilder builder = new ProcessBuilder("setsid", "--wait", executable.toAbsolutePath().toString());
    Map<String, String> environment = builder.environment();
    Map<String, String> own = Map.copyOf(environment);
    environment.clear();
    PASSED_ENV.stream().filter(own::containsKey).forEach(k -> environment.put(k, own.get(k)));
    environment.putAll(env);
    String marker = UUID.randomUUID().toString();
    environment.put(RUN_ENV, marker);
    builder.directory(executable.getParent().toFile());
    PluginProcess plugin = new PluginProcess(builder.start(), marker, stderrLines);
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

  /**
   * Asks every process of the plugin to stop (SIGTERM) and kills what is left {@link #GRACE} later; answers the
   * processes it asked. Returns at once.
   */
  List<Member> terminate() {
    List<Member> now = members();
    now.forEach(m -> m.handle().destroy());
    KILLER.schedule(this::kill, GRACE.toMillis(), TimeUnit.MILLISECONDS);
    return now;
  }

  /**
   * The processes of the plugin that were still running when it exited (they have been asked to stop); waits for
   * the exit.
   */
  List<Member> leftovers() {
    return leftovers.join();
  }

  /**
   * Makes sure no process of the plugin outlives its run: asks those still running to stop, waits up to
   * {@link #GRACE} for them, then kills the rest.
   */
  void close() throws InterruptedException {
    if (members().isEmpty()) {
      return;
    }
    terminate();
    long until = System.nanoTime() + GRACE.toNanos();
    while (System.nanoTime() - until < 0 && !members().isEmpty()) {
      Thread.sleep(50);
    }
    kill();
  }

  /** SIGKILL to every process of the plugin, until none is left (or it keeps forking faster than it dies). */
  private void kill() {
    for (int round = 0; round < KILL_ROUNDS; round++) {
      List<Member> left = members();
      if (left.isEmpty()) {
        return;
      }
      left.forEach(m -> m.handle().destroyForcibly());
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Waits for the exit (after stdout ended) and for the stderr reader; answers the exit code. */
  int waitFor() throws InterruptedException {
    int code = process.waitFor();
    stderrReader.join(1_000);
    return code;
  }

  /** The last stderr line the plugin wrote, or null (for the failure message). */
  String lastStderrLine() {
    return lastStderr;
  }

  /**
   * The live processes of this run, from the process table: in the plugin's session (its id is the plugin's pid)
   * or with the run's marker in their environment. Zombies are dead (only their parent, often init, can reap them).
   */
  private List<Member> members() {
    long session = process.pid();
    // environ is NUL-separated entries: the first has a NUL put before it.
    String entry = "\0" + RUN_ENV + "=" + marker + "\0";
    return ProcessHandle.allProcesses().map(p -> {
      Path proc = Path.of("/proc", Long.toString(p.pid()));
      try {
        // "pid (comm) state ppid pgrp session ...": comm may hold anything but stops at the last ')'.
        String stat = read(proc.resolve("stat"));
        int close = stat.lastIndexOf(')');
        String[] fields = stat.substring(close + 2).split(" ", 5);
        if (fields[0].equals("Z") || fields[0].equals("X")) {
          return null;
        }
        String command = stat.substring(stat.indexOf('(') + 1, close);
        if (Long.parseLong(fields[3]) == session || ("\0" + read(proc.resolve("environ"))).contains(entry)) {
          return new Member(p, command);
        }
      } catch (IOException | RuntimeException e) {
        // Gone meanwhile, or another user's process (its environment is not readable): not the plugin's.
      }
      return null;
    }).filter(m -> m != null).toList();
  }

  /** A /proc file, one char per byte: no encoding error can hide a process. */
  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
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
