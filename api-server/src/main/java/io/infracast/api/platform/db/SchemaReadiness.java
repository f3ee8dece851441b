package io.infracast.api.platform.db;

import static net.logstash.logback.argument.StructuredArguments.kv;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database schema has every migration this binary ships. A binary whose schema is behind must not
 * take traffic (its queries would meet missing tables and columns), so {@code /healthz} answers 503 with the
 * reason until the migration has run; the pod then becomes ready by itself, without a restart. A schema newer
 * than the binary is fine: that is an old pod during a rolling update.
 *
 * <p>Checked on a background thread at start and then every {@code every} until the schema is current, then
 * never again (a schema does not go back): probes never wait for it and cost nothing once it is current.
 */
public final class SchemaReadiness implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchemaReadiness.class);
  static final String NOT_KNOWN = "database schema version not known yet";

  private final Migrator migrator;
  private final ScheduledExecutorService timer;
  private volatile Optional<String> notReady = Optional.of(NOT_KNOWN);
  private String lastLogged;

  private SchemaReadiness(Migrator migrator) {
    this.migrator = migrator;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "schema-readiness");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts checking at once, then every {@code every} until the schema is current. */
  public static SchemaReadiness watch(Migrator migrator, Duration every) {
    SchemaReadiness readiness = new SchemaReadiness(migrator);
    readiness.timer.scheduleWithFixedDelay(readiness::check, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return readiness;
  }

  /** Why this binary cannot serve with the schema as it is; empty once it can. Never blocks. */
  public Optional<String> notReadyReason() {
    return notReady;
  }

  private void check() {
    Migrator.SchemaState state;
    try {
      state = migrator.state();
    } catch (RuntimeException e) {
      // Unreachable: /healthz says so already. Anything else (no right to read the history) needs a look.
      once("cannot read the database schema version: " + e.getMessage());
      return;
    }
    if (state.behind()) {
      String reason = "database schema is at version " + state.applied() + ", this binary needs " + state.needed()
          + ": run migrate";
      notReady = Optional.of(reason);
      once(reason + " (not ready until then)");
      return;
    }
    notReady = Optional.empty();
    log.info("database schema is current", kv("schema_version", state.applied()),
        kv("binary_version", state.needed()));
    timer.shutdown(); // the schema never goes back: no more checks
  }

  private void once(String message) {
    if (!message.equals(lastLogged)) {
      lastLogged = message;
      log.warn(message);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
