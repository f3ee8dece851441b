package io.infracast.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway real PostgreSQL 15 on a free loopback port, in a temp folder, with password (scram) authentication
 * over TCP as a real server has. It can be stopped and started again on the same port and data, to test outages.
 *
 * <p>It runs Debian's {@code postgresql-15} server binaries. PostgreSQL refuses to run as root, and CI runs as
 * root: then the server runs as the {@code postgres} user through {@code runuser}. SQL goes through {@code psql},
 * so users need no JDBC driver.
 */
public final class ThrowawayPostgres implements AutoCloseable {

  private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path dir;
  private final Path data;
  private final int port;
  private final String password = "pw-" + UUID.randomUUID();
  private final boolean root = runningAsRoot();
  private boolean running;

  private ThrowawayPostgres(Path dir, int port) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
  }

  /** Initializes and starts a new server; fails with a clear message when PostgreSQL 15 is not installed. */
  public static ThrowawayPostgres start() {
    if (!Files.isExecutable(BIN.resolve("postgres"))) {
      throw new IllegalStateException("tests need the PostgreSQL 15 server at " + BIN
          + ": install Debian's postgresql-15 package");
    }
    try {
      var pg = new ThrowawayPostgres(Files.createTempDirectory("infracast-pg-"), freePort());
      pg.init();
      pg.startAgain();
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void init() throws IOException {
    var pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
    if (root) {
      run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
      run(List.of("chmod", "700", dir.toString()), false);
    }
    run(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth-local=trust",
        "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C", "--no-sync"), true);
  }

  /** Starts the server (again) on the same port and data folder. */
  public synchronized void startAgain() {
    if (running) {
      return;
    }
    var options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
        + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
    run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
        "-w", "-t", "60", "-o", options, "start"), true);
    running = true;
  }

  /** Stops the server (fast shutdown: clients are disconnected); {@link #startAgain()} brings it back. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"),
        true);
    running = false;
  }

  public int port() {
    return port;
  }

  public String password() {
    return password;
  }

  /** A new empty database named {@code name}. */
  public String createDatabase(String name) {
    query("postgres", "CREATE DATABASE " + name);
    return name;
  }

  /** A new empty database with a name of its own. */
  public String createDatabase() {
    return createDatabase("it_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet());
  }

  /** DATABASE_URL in the libpq form, with the password. */
  public String postgresUrl(String database) {
    return "postgres://postgres:" + password + "@127.0.0.1:" + port + "/" + database + "?sslmode=disable";
  }

  /** Runs SQL with psql; returns the unaligned, tuples-only output. */
  public String query(String database, String sql) {
    return run(List.of(BIN.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
        "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql), false).strip();
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: it is a temp folder
      }
    }
  }

  /** A free loopback TCP port. */
  public static int freePort() {
    try (var socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String run(List<String> command, boolean asPostgres) {
    var cmd = new ArrayList<String>();
    if (asPostgres && root) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    try {
      var out = Files.createTempFile("pg-cmd-", ".log");
      try {
        var builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().putAll(Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "5"));
        var process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("timed out: " + cmd);
        }
        var output = Files.readString(out);
        if (process.exitValue() != 0) {
          var log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
          throw new IllegalStateException("failed (" + process.exitValue() + "): " + cmd + "\n" + output + "\n" + log);
        }
        return output;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean runningAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
