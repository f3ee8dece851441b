package io.infracast.api.discovery.internal;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.infracast.api.assets.AssetsService;
import io.infracast.api.audit.AuditService;
import io.infracast.api.discovery.JobCompletionListener;
import io.infracast.api.discovery.JobStatus;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.events.Outbox;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's job worker. It claims running jobs nobody holds from the database (each by one worker: see
 * {@link JobRepository#claim}), runs up to {@code slots} of them at once, and renews their leases every third of
 * the lease. A job it can no longer renew (cancelled, or the database unreachable for a whole lease, after which
 * another replica may take it over) has its plugin's process tree killed. Stopping the replica hands its jobs back.
 */
public final class JobWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobWorker.class);
  private static final long FLUSH_EVERY_MS = 200;

  private final Transactions transactions;
  private final AuditService audit;
  private final AssetsService assets;
  private final Path pluginDir;
  private final WorkerSettings settings;
  private final List<JobCompletionListener> listeners;
  private final BooleanSupplier ready;
  private final CredentialVault vault;
  private final JobRepository repository = new JobRepository();
  private final String id;
  private final Map<String, String> pluginEnv;
  private final Map<UUID, JobRun> running = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler;
  private final ExecutorService runners;
  private volatile boolean closed;

  /**
   * @param ready whether the schema has this binary's migrations (the worker does nothing until then)
   * @param vault opens the credential of a job that has one
   */
  public JobWorker(Transactions transactions, AuditService audit, AssetsService assets, Path pluginDir,
      WorkerSettings settings, List<JobCompletionListener> listeners, BooleanSupplier ready, CredentialVault vault) {
    this.transactions = transactions;
    this.audit = audit;
    this.assets = assets;
    this.pluginDir = pluginDir;
    this.settings = settings;
    this.listeners = List.copyOf(listeners);
    this.ready = ready;
    this.vault = vault;
    this.id = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("local") + "-" + ProcessHandle.current().pid()
        + "-" + UUID.randomUUID().toString().substring(0, 8);
    // Plugins shipped in this jar (the inventory plugin) run with the service's own JVM and classpath (absolute:
    // plugins run in the plugin folder).
    this.pluginEnv = Map.of(
        "INFRACAST_JAVA", ProcessHandle.current().info().command().orElse("java"),
        "INFRACAST_CLASSPATH", Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(e -> Path.of(e).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator)));
    AtomicInteger n = new AtomicInteger();
    this.scheduler = Executors.newScheduledThreadPool(2, r -> daemon(r, "job-scheduler-" + n.incrementAndGet()));
    this.runners = Executors.newFixedThreadPool(settings.slots(), r -> daemon(r, "job-runner-" + n.incrementAndGet()));
  }

  public String id() {
    return id;
  }

  public void start() {
    long renewEvery = Math.max(1, settings.lease().toMillis() / 3);
    scheduler.scheduleWithFixedDelay(this::poll, 0, settings.poll().toMillis(), TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(() -> running.values().forEach(JobRun::tick), FLUSH_EVERY_MS,
        FLUSH_EVERY_MS, TimeUnit.MILLISECONDS);
    log.info("discovery worker started", kv("worker", id));
  }

  /** Looks for jobs now (a job was just created on this replica). */
  public void wake() {
    if (!closed) {
      scheduler.execute(this::poll);
    }
  }

  /** The job was cancelled: if it runs here, its plugin's process tree is killed now. */
  public void cancelled(UUID job) {
    JobRun run = running.get(job);
    if (run != null) {
      run.stop(JobRun.Stop.CANCELLED);
    }
  }

  /** Tells the listeners that a job ended; a listener's failure is logged, never passed on. */
  public void completed(UUID tenant, UUID job, JobStatus status) {
    for (JobCompletionListener l : listeners) {
      try {
        l.jobCompleted(tenant, job, status);
      } catch (RuntimeException e) {
        log.error("a job completion listener failed for job {}", job, e);
      }
    }
  }

  private synchronized void poll() {
    if (closed || !ready.getAsBoolean()) {
      return;
    }
    try {
      for (JobRepository.Ended e : transactions.acrossTenants(c -> {
        List<JobRepository.Ended> ended = repository.failAbandoned(c, settings.maxAttempts());
        for (JobRepository.Ended each : ended) {
          publishEnd(c, each.tenantId(), each.jobId(), JobStatus.FAILED);
        }
        return ended;
      })) {
        JobLog last = new JobLog(transactions, repository, e.tenantId(), e.jobId(), 1);
        last.append("error", JobRun.WORKER, "failed: " + e.error());
        last.flush();
        transactions.inTenant(e.tenantId(), c -> {
          auditEnd(c, e.tenantId(), e.jobId(), JobStatus.FAILED, Map.of("error", e.error()));
          return null;
        });
        completed(e.tenantId(), e.jobId(), JobStatus.FAILED);
      }
      while (!closed && running.size() < settings.slots()) {
        long claimedAt = System.nanoTime();
        Optional<JobRepository.Claimed> claimed = transactions.acrossTenants(c -> repository.claim(c, id,
            settings.lease(), settings.maxAttempts()));
        if (claimed.isEmpty()) {
          return;
        }
        JobRun run = new JobRun(claimed.get(), id, settings, pluginDir, pluginEnv, assets, transactions, repository,
            vault, scheduler);
        run.leaseRenewed(claimedAt + settings.lease().toNanos());
        running.put(claimed.get().id(), run);
        runners.execute(() -> execute(run));
      }
    } catch (Transactions.DatabaseException e) {
      log.warn("discovery worker could not look for jobs: {}", e.getMessage());
    }
  }

  private void execute(JobRun run) {
    JobRepository.Claimed job = run.job();
    try {
      JobRun.Outcome outcome = run.run();
      if (outcome.stoppedBy() == null && transactions.inTenant(job.tenantId(), c -> {
        if (!repository.finish(c, job.id(), id, outcome.status(), outcome.error(), outcome.nodes(), outcome.edges())) {
          return false;
        }
        Map<String, Object> details = new LinkedHashMap<>(Map.of("nodes", outcome.nodes(), "edges", outcome.edges()));
        if (outcome.error() != null) {
          details.put("error", outcome.error());
        }
        auditEnd(c, job.tenantId(), job.id(), outcome.status(), details);
        publishEnd(c, job.tenantId(), job.id(), outcome.status());
        return true;
      })) {
        completed(job.tenantId(), job.id(), outcome.status());
      }
    } catch (RuntimeException e) {
      // The database went away while finishing (or a bug): no longer renewed, the job runs again once its lease
      // has run out, or fails after its last attempt.
      log.error("discovery job {} could not be finished", job.id(), e);
    } finally {
      running.remove(job.id());
      wake();
    }
  }

  /** A job's end is the service's own write: {@code job.succeeded} or {@code job.failed}, actor {@code system}. */
  private void auditEnd(Connection c, UUID tenant, UUID job, JobStatus status, Map<String, Object> details)
      throws SQLException {
    audit.record(c, null, tenant, "job." + status.wire(), "job", job.toString(), details);
  }

  /**
   * The job's end as an event ({@code job.completed}, {@code job.failed}; none for a cancelled one, which its
   * canceller asked for), in the transaction that writes the end.
   */
  private void publishEnd(Connection c, UUID tenant, UUID job, JobStatus status) throws SQLException {
    if (status != JobStatus.CANCELLED) {
      Outbox.publish(c, tenant, status == JobStatus.SUCCEEDED ? "job.completed" : "job.failed",
          () -> List.of(Map.of("job", repository.job(c, job).orElseThrow())));
    }
  }

  /** Renews the leases of the jobs running here; stops those it no longer holds. */
  private void renew() {
    if (running.isEmpty()) {
      return;
    }
    Set<UUID> ids = new HashSet<>(running.keySet());
    long now = System.nanoTime();
    try {
      Set<UUID> held = transactions.acrossTenants(c -> repository.renew(c, id, ids, settings.lease()));
      for (UUID job : ids) {
        JobRun run = running.get(job);
        if (run == null) {
          continue;
        }
        if (held.contains(job)) {
          run.leaseRenewed(now + settings.lease().toNanos());
        } else {
          // Cancelled through another replica (or taken over after this one lost the database for a lease).
          run.stop(JobRun.Stop.CANCELLED);
        }
      }
    } catch (Transactions.DatabaseException e) {
      log.warn("discovery worker could not renew its leases: {}", e.getMessage());
      for (JobRun run : running.values()) {
        if (run.leaseExpiredBy(System.nanoTime())) {
          log.warn("stopping discovery job {}: its lease ran out while the database was unreachable, another "
              + "replica may run it", run.job().id());
          run.stop(JobRun.Stop.LEASE_LOST);
        }
      }
    }
  }

  /** Stops claiming, kills the plugins running here and hands their jobs back for another replica. */
  @Override
  public void close() {
    closed = true;
    Set<UUID> handedBack = new HashSet<>(running.keySet());
    running.values().forEach(run -> run.stop(JobRun.Stop.SHUTDOWN));
    scheduler.shutdownNow();
    runners.shutdown();
    try {
      runners.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!handedBack.isEmpty()) {
      try {
        transactions.acrossTenants(c -> {
          repository.release(c, id, handedBack);
          return null;
        });
      } catch (Transactions.DatabaseException e) {
        log.warn("could not hand back {} discovery job(s); they run again once their lease expires: {}",
            handedBack.size(), e.getMessage());
      }
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
