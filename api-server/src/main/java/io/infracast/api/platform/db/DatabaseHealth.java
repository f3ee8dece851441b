package io.infracast.api.platform.db;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "is PostgreSQL reachable?" within a hard time bound.
 *
 * <p>One probe at a time runs on its own thread (single flight); callers wait for it at most {@code timeout}
 * and count a late answer as "unreachable", so a hung network or an exhausted pool never blocks a request
 * thread. A result is reused for {@code maxAge} so that probes hitting /healthz at a high rate do not each cost
 * a database round trip.
 */
public final class DatabaseHealth implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DatabaseHealth.class);

  private final DataSource dataSource;
  private final Duration timeout;
  private final long maxAgeNanos;
  private final ExecutorService executor;

  private volatile Sample last;
  private CompletableFuture<Boolean> inFlight;
  private volatile Boolean lastReported;

  private record Sample(boolean up, long atNanos) {}

  public DatabaseHealth(DataSource dataSource, Duration timeout, Duration maxAge) {
    this.dataSource = dataSource;
    this.timeout = timeout;
    this.maxAgeNanos = maxAge.toNanos();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "db-health");
      t.setDaemon(true);
      return t;
    });
  }

  /** True when a connection could be validated recently; never blocks longer than the timeout. */
  public boolean isUp() {
    Sample s = last;
    if (s != null && System.nanoTime() - s.atNanos < maxAgeNanos) {
      return s.up;
    }
    CompletableFuture<Boolean> probe;
    synchronized (this) {
      if (inFlight == null || inFlight.isDone()) {
        inFlight = CompletableFuture.supplyAsync(this::probe, executor);
      }
      probe = inFlight;
    }
    try {
      return probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      record(false);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return false;
    }
  }

  private boolean probe() {
    boolean up;
    try (Connection c = dataSource.getConnection()) {
      up = c.isValid(1);
    } catch (Exception e) {
      up = false;
    }
    record(up);
    return up;
  }

  private synchronized void record(boolean up) {
    last = new Sample(up, System.nanoTime());
    Boolean before = lastReported;
    if (before == null || before != up) {
      lastReported = up;
      if (up) {
        log.info("database reachable");
      } else {
        log.warn("database unreachable: /healthz reports degraded");
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
