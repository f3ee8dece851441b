package io.infracast.operator.testing.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway real PostgreSQL 15 for the local kubelet's tests, from Debian's {@code postgresql-15} binaries, on a
 * free loopback port with password (scram) authentication. PostgreSQL refuses to run as root, so as root the
 * server runs as the {@code postgres} user through {@code runuser}. Queries go through {@code psql}: the operator
 * has no JDBC driver on its classpath.
 *
 * <p>The api-server's {@code TestPostgres} does the same for its own tests; this one exists because the operator
 * cannot depend on the api-server's test classes yet.
 */
public final class LocalPostgres implements AutoCloseable {
  private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

  private final Path dir;
  private final int port;
  private final String password = "pw-" + UUID.randomUUID();
  private final boolean root;

  private LocalPostgres(Path dir, int port) {
    this.dir = dir;
    this.port = port;
    this.root = runningAsRoot();
  }

  public static boolean available() {
    return Files.isExecutable(BIN.resolve("postgres"));
  }

  /** Initializes and starts a server; fails with a clear message when PostgreSQL 15 is not installed. */
  public static LocalPostgres start() {
    if (!available()) {
      throw new IllegalStateException("tests need PostgreSQL 15 at " + BIN + ": install Debian's postgresql-15");
    }
    try {
      LocalPostgres pg = new LocalPostgres(Files.createTempDirectory("infracast-kubelet-pg-"), LocalKubelet.freePort());
      Files.writeString(pg.dir.resolve("pwfile"), pg.password + "\n", StandardCharsets.UTF_8);
      if (pg.root) {
        pg.run(List.of("chown", "-R", "postgres:postgres", pg.dir.toString()), false);
      }
      pg.run(List.of(BIN.resolve("initdb").toString(), "-D", pg.dir.resolve("data").toString(), "-U", "postgres",
          "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pg.dir.resolve("pwfile"), "-E", "UTF8",
          "--locale=C", "--no-sync"), true);
      pg.run(List.of(BIN.resolve("pg_ctl").toString(), "-D", pg.dir.resolve("data").toString(), "-l",
          pg.dir.resolve("server.log").toString(), "-w", "-t", "60", "-o", "-p " + pg.port + " -k " + pg.dir
              + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off", "start"), true);
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** A new empty database. */
  public String createDatabase(String name) {
    query("postgres", "CREATE DATABASE " + name);
    return name;
  }

  /** DATABASE_URL in the libpq form the operator's Secrets hold. */
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
      run(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
          "stop"), true);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: it is a temp folder
      }
    }
  }

  private String run(List<String> command, boolean asPostgres) {
    List<String> cmd = new ArrayList<>();
    if (asPostgres && root) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    try {
      Path out = Files.createTempFile("pg-cmd-", ".log");
      try {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "5"));
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out: " + cmd);
        }
        String output = Files.readString(out);
        if (p.exitValue() != 0) {
          throw new IllegalStateException("failed (" + p.exitValue() + "): " + cmd + "\n" + output);
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
