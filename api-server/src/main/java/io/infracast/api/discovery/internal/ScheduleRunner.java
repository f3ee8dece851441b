package io.infracast.api.discovery.internal;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.infracast.api.audit.AuditService;
import io.infracast.api.platform.db.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's scheduler: every {@code poll} it fires the schedules whose time has come. Each firing is one
 * transaction that claims a due schedule ({@link ScheduleRepository#claimDue}, skipping rows another replica holds),
 * inserts its job and moves it to its next due time, so a due time makes one job whatever the number of replicas;
 * the job workers then run it like any other. A schedule whose previous job is still running lets this due time
 * pass (counted in {@code skipped_runs}) rather than piling jobs up. On its first poll it also seals credentials
 * sealed with an older key again ({@link CredentialVault#resealAll}).
 */
public final class ScheduleRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);
  /** At most this many firings per poll, so one poll never holds the thread for long. */
  private static final int MAX_FIRINGS = 100;

  private final Transactions transactions;
  private final AuditService audit;
  private final CredentialVault vault;
  private final Duration poll;
  private final BooleanSupplier ready;
  private final Runnable jobsCreated;
  private final JobRepository jobs = new JobRepository();
  private final ScheduleRepository schedules = new ScheduleRepository();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "discovery-schedules");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean resealed;

  /**
   * @param ready whether the schema has this binary's migrations (nothing happens until then)
   * @param jobsCreated called after a poll that created jobs (wakes this replica's worker)
   */
  public ScheduleRunner(Transactions transactions, AuditService audit, CredentialVault vault, Duration poll,
      BooleanSupplier ready, Runnable jobsCreated) {
    this.transactions = transactions;
    this.audit = audit;
    this.vault = vault;
    this.poll = poll;
    this.ready = ready;
    this.jobsCreated = jobsCreated;
  }

  public void start() {
    thread.scheduleWithFixedDelay(this::tick, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    if (!ready.getAsBoolean()) {
      return;
    }
    try {
      if (!resealed) {
        vault.resealAll(transactions);
        resealed = true;
      }
      int created = 0;
      for (int i = 0; i < MAX_FIRINGS; i++) {
        Optional<Boolean> fired = transactions.acrossTenants(this::fireOne);
        if (fired.isEmpty()) {
          break;
        }
        created += fired.get() ? 1 : 0;
      }
      if (created > 0) {
        jobsCreated.run();
      }
    } catch (Transactions.DatabaseException e) {
      log.warn("discovery scheduler could not fire schedules: {}", e.getMessage());
    } catch (RuntimeException e) {
      // Thrown out of a scheduled task it would stop the scheduler for good; the next poll tries again.
      log.error("discovery scheduler failed", e);
    }
  }

  /** Fires the longest-due schedule, if any: true when it made a job, false when it skipped. */
  private Optional<Boolean> fireOne(Connection c) throws SQLException {
    Optional<ScheduleRepository.Due> claimed = schedules.claimDue(c);
    if (claimed.isEmpty()) {
      return Optional.empty();
    }
    ScheduleRepository.Due due = claimed.get();
    if (due.previousJobRunning()) {
      log.info("schedule skipped a run: its previous job is still running", kv("schedule", due.id()),
          kv("tenant", due.tenantId()));
      schedules.fired(c, due.id(), null);
      return Optional.of(false);
    }
    UUID job = UUID.randomUUID();
    jobs.insert(c, due.tenantId(), job, due.name(), due.plugins(), due.config(), due.credentialId(), "schedule",
        due.id().toString());
    audit.record(c, null, due.tenantId(), "job.created", "job", job.toString(), Map.of("name", due.name(),
        "plugins", due.plugins(), "schedule_id", due.id().toString()));
    schedules.fired(c, due.id(), job);
    return Optional.of(true);
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
