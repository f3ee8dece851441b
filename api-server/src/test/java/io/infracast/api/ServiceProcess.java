package io.infracast.api;

import io.infracast.api.platform.db.Processes;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The service in a real JVM of its own, started from the test classpath (the same classes the jar holds), with
 * stdout and stderr captured line by line.
 */
public final class ServiceProcess implements AutoCloseable {
  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Thread outReader;
  private final Thread errReader;

  private ServiceProcess(Process process) {
    this.process = process;
    this.outReader = pump(process.getInputStream(), stdout);
    this.errReader = pump(process.getErrorStream(), stderr);
  }

  public static ServiceProcess start(Class<?> mainClass, Map<String, String> env, String... args) {
    return start(List.of(), System.getProperty("java.class.path"), mainClass, env, args);
  }

  /**
   * As {@link #start}, as a user other than root, for embedded mode (PostgreSQL refuses to run as root): as root,
   * the JVM runs as {@code postgres} through {@code setpriv}, which execs (so a signal to this process reaches
   * the JVM itself), from a copy of the classpath entries under the home folder, which that user cannot read.
   */
  public static ServiceProcess startUnprivileged(Class<?> mainClass, Map<String, String> env, String... args) {
    if (!Processes.runningAsRoot()) {
      return start(mainClass, env, args);
    }
    return start(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"),
        UnprivilegedClasspath.get(), mainClass, env, args);
  }

  /** A new empty folder the unprivileged service can write (owned by postgres when running as root). */
  public static Path unprivilegedFolder(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      if (Processes.runningAsRoot()) {
        Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class UnprivilegedClasspath {
    private static String classpath;

    static synchronized String get() {
      if (classpath == null) {
        classpath = copyHomeEntries();
      }
      return classpath;
    }

    private static String copyHomeEntries() {
      String home = System.getProperty("user.home");
      try {
        Path copies = Files.createTempDirectory("service-classpath-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(copies)));
        Files.setPosixFilePermissions(copies, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
          Path p = Path.of(entry);
          if (entry.startsWith(home) && Files.isRegularFile(p)) {
            Path copy = copies.resolve((n++) + "-" + p.getFileName());
            Files.copy(p, copy);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
            entries.add(copy.toString());
          } else {
            entries.add(entry);
          }
        }
        return String.join(File.pathSeparator, entries);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Removes a folder and everything in it, as far as it can (temp files). */
  public static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp folder
    }
  }

  private static ServiceProcess start(List<String> prefix, String classpath, Class<?> mainClass,
      Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small and quick JVMs: the tests start many of them on two cores.
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx192m",
        "-cp", classpath, mainClass.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.equals("DATABASE_URL") || k.equals("JWT_SECRET")
        || k.equals("API_PORT") || k.equals("MIGRATE_ON_START") || k.startsWith("AWS_")
        || k.equals("ARTIFACTS_BUCKET") || k.equals("JAVA_TOOL_OPTIONS"));
    pb.environment().putAll(env);
    try {
      return new ServiceProcess(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Thread pump(InputStream in, List<String> sink) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          sink.add(line);
        }
      } catch (IOException e) {
        // process ended
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }

  public List<String> stdout() {
    return List.copyOf(stdout);
  }

  public List<String> stderr() {
    return List.copyOf(stderr);
  }

  public String allOutput() {
    return String.join("\n", stdout) + "\n" + String.join("\n", stderr);
  }

  /** Waits for a line on stdout; fails with the output so far when it does not come. */
  public String awaitLine(Predicate<String> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : stdout) {
        if (match.test(line)) {
          return line;
        }
      }
      if (!process.isAlive()) {
        joinReaders();
        for (String line : stdout) {
          if (match.test(line)) {
            return line;
          }
        }
        throw new AssertionError("process exited (" + process.exitValue() + ") before the line came:\n" + allOutput());
      }
      sleep(50);
    }
    throw new AssertionError("line did not come within " + timeout + ":\n" + allOutput());
  }

  /** Waits until GET /healthz answers 200. */
  public void awaitHealthy(int port, Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        joinReaders();
        throw new AssertionError("process exited (" + process.exitValue() + "):\n" + allOutput());
      }
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      sleep(100);
    }
    throw new AssertionError("not healthy within " + timeout + ":\n" + allOutput());
  }

  /** Waits for exit and returns the code; output is complete afterwards. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("process did not exit within " + timeout + ":\n" + allOutput());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    joinReaders();
    return process.exitValue();
  }

  /**
   * SIGTERM, through the process handle: {@code Process.destroy()} sends the same signal but also closes our
   * ends of the child's stdout/stderr pipes, so the shutdown log lines would be lost.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** {@code kill -9}: no shutdown hook runs, nothing is closed. */
  public void kill() {
    process.destroyForcibly();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  private void joinReaders() {
    try {
      outReader.join(5_000);
      errReader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
