package io.infracast.api.platform.db;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.infracast.contract.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the embedded Flyway migrations under our leader lock.
 *
 * <p>The lock is a session-level PostgreSQL advisory lock ({@link #LOCK_KEY}) taken on a dedicated connection
 * (not from the pool) and held around the whole step: check, migrate, record. A second runner (another replica
 * with MIGRATE_ON_START, a stray migration Job) blocks on it, then finds nothing pending and exits 0. If the
 * holder dies, PostgreSQL ends its session and frees the lock.
 */
public final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);

  /** Fixed advisory lock key: the ASCII bytes of "ifc-migr" as a bigint. */
  public static final long LOCK_KEY = 0x6966632d6d696772L;

  public static final String DEFAULT_LOCATION = "classpath:db/migration";

  private final DatabaseUrl url;
  private final DataSource dataSource;
  private final String[] locations;

  public Migrator(DatabaseUrl url, DataSource dataSource) {
    this(url, dataSource, DEFAULT_LOCATION);
  }

  /** Extra locations are for tests only (to simulate a newer release's migrations). */
  public Migrator(DatabaseUrl url, DataSource dataSource, String... locations) {
    this.url = url;
    this.dataSource = dataSource;
    this.locations = locations.clone();
  }

  /** Outcome of a successful run. */
  public record Result(int applied, String schemaVersion) {}

  /** The database holds migrations newer than any this binary has. */
  public static final class SchemaTooNewException extends RuntimeException {
    public SchemaTooNewException(String message) {
      super(message, null, false, false);
    }
  }

  /** The database could not be reached before the deadline. */
  public static final class DatabaseUnreachableException extends RuntimeException {
    public DatabaseUnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Migrates to this binary's latest version.
   *
   * @param connectFor how long to keep retrying (with backoff) while the database is unreachable
   * @throws SchemaTooNewException when the schema is newer than this binary (nothing is changed)
   * @throws DatabaseUnreachableException when no connection could be made within {@code connectFor}
   * @throws io.infracast.contract.ConfigException at once when PostgreSQL refuses the login
   */
  public Result migrate(Duration connectFor) {
    log.info("running database migrations");
    try (Connection lock = connectWithRetry(connectFor)) {
      acquire(lock);
      try {
        return migrateLocked();
      } finally {
        release(lock);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("migration lock connection failed: " + e.getMessage(), e);
    }
  }

  /**
   * Where the database schema stands against this binary's migrations. Read-only: takes no lock and changes
   * nothing, so serving pods can ask while a migration Job runs.
   *
   * @param applied the highest version applied successfully ("0" for none), a newer release's included
   * @param needed the highest version this binary ships
   * @param behind true when {@code applied} is lower than {@code needed}: this binary's queries would meet a
   *     schema without its latest migrations
   */
  public record SchemaState(String applied, String needed, boolean behind) {}

  /** Reads the schema history (no lock: it only reads); throws when the database cannot be reached. */
  public SchemaState state() {
    MigrationInfo[] all = flyway().info().all();
    Optional<MigrationVersion> applied = highest(all, s -> s.isApplied() && !s.isFailed());
    Optional<MigrationVersion> needed = highest(all, MigrationState::isResolved);
    boolean behind = needed.isPresent() && (applied.isEmpty() || applied.get().compareTo(needed.get()) < 0);
    return new SchemaState(text(applied), text(needed), behind);
  }

  private Flyway flyway() {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations(locations)
        .group(false) // each migration in its own transaction
        .outOfOrder(false)
        .baselineOnMigrate(false)
        .cleanDisabled(true)
        .callbacks(new LogEachMigration())
        .load();
  }

  private static boolean future(MigrationState state) {
    return state == MigrationState.FUTURE_SUCCESS || state == MigrationState.FUTURE_FAILED;
  }

  private static Optional<MigrationVersion> highest(MigrationInfo[] all, Predicate<MigrationState> which) {
    return Arrays.stream(all)
        .filter(i -> which.test(i.getState()))
        .map(MigrationInfo::getVersion)
        .filter(Objects::nonNull)
        .max(Comparator.naturalOrder());
  }

  private static String text(Optional<MigrationVersion> version) {
    return version.map(MigrationVersion::getVersion).orElse("0");
  }

  private Result migrateLocked() {
    Flyway flyway = flyway();
    MigrationInfo[] all = flyway.info().all();
    Optional<MigrationVersion> future = highest(all, Migrator::future);
    if (future.isPresent()) {
      throw new SchemaTooNewException("database schema is at version " + text(future)
          + ", newer than this binary's " + text(highest(all, s -> !future(s)))
          + "; refusing to migrate. Run a newer release.");
    }

    MigrateResult result = flyway.migrate();
    MigrationInfo current = flyway.info().current();
    String version = current == null || current.getVersion() == null ? "0" : current.getVersion().getVersion();
    log.info("migrations complete", kv("applied", result.migrationsExecuted), kv("schema_version", version));
    return new Result(result.migrationsExecuted, version);
  }

  private Connection connectWithRetry(Duration connectFor) {
    long deadline = System.nanoTime() + connectFor.toNanos();
    long backoffMs = 250;
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        return Pools.connect(url);
      } catch (SQLException e) {
        long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (left <= 0) {
          throw new DatabaseUnreachableException("database unreachable at " + url.hosts() + " after " + attempt
              + " attempts in " + connectFor.toSeconds() + " s: " + e.getMessage(), e);
        }
        log.warn("database not reachable yet, retrying", kv("attempt", attempt), kv("error", e.getMessage()));
        sleep(Math.min(backoffMs, left));
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
  }

  private static void acquire(Connection lock) throws SQLException {
    try (PreparedStatement st = lock.prepareStatement("select pg_try_advisory_lock(?)")) {
      st.setLong(1, LOCK_KEY);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        if (rs.getBoolean(1)) {
          return;
        }
      }
    }
    log.info("waiting for the migration lock held by another runner");
    try (PreparedStatement st = lock.prepareStatement("select pg_advisory_lock(?)")) {
      st.setLong(1, LOCK_KEY);
      st.execute();
    }
    log.info("migration lock acquired");
  }

  private static void release(Connection lock) {
    try (PreparedStatement st = lock.prepareStatement("select pg_advisory_unlock(?)")) {
      st.setLong(1, LOCK_KEY);
      st.execute();
    } catch (SQLException e) {
      // Closing the session releases it anyway.
      log.warn("could not release the migration lock explicitly: {}", e.getMessage());
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the database", e);
    }
  }

  /** Logs "applying migration version=N" once per migration actually applied. */
  private static final class LogEachMigration implements Callback {
    @Override
    public boolean supports(Event event, Context context) {
      return event == Event.BEFORE_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
      return true;
    }

    @Override
    public void handle(Event event, Context context) {
      MigrationInfo info = context.getMigrationInfo();
      String version = info == null || info.getVersion() == null ? "repeatable" : info.getVersion().getVersion();
      log.info("applying migration {}", kv("version", version),
          kv("description", info == null ? "" : info.getDescription()));
    }

    @Override
    public String getCallbackName() {
      return "infracast-log-each-migration";
    }
  }
}
