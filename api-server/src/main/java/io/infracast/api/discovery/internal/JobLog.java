package io.infracast.api.discovery.internal;

import io.infracast.api.platform.db.Transactions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running job's log, stored in the tenant's transaction so that every replica's stream sees it. Lines are
 * buffered and written in order, many per statement: when {@link #BATCH} are waiting, when the worker flushes
 * (every 200 ms while the job runs) and when the run ends, before the job's final state. At most {@code max} lines are kept per run;
 * the rest are only counted.
 */
final class JobLog {
  static final int BATCH = 200;
  private static final Logger logger = LoggerFactory.getLogger(JobLog.class);

  private final Transactions transactions;
  private final JobRepository repository;
  private final UUID tenant;
  private final UUID job;
  private final int max;
  private final List<String[]> pending = new ArrayList<>();
  private int kept;
  private long dropped;
  /** Once the run has ended, lines are written as they come (a stop's last word). */
  private boolean closed;

  JobLog(Transactions transactions, JobRepository repository, UUID tenant, UUID job, int max) {
    this.transactions = transactions;
    this.repository = repository;
    this.tenant = tenant;
    this.job = job;
    this.max = max;
  }

  synchronized void append(String level, String source, String message) {
    if (kept >= max) {
      dropped++;
      return;
    }
    kept++;
    pending.add(new String[] {level, source, message.replace('\u0000', '\uFFFD')});
    if (closed || pending.size() >= BATCH) {
      flush();
    }
  }

  /** Writes the waiting lines; later ones are written at once. */
  synchronized void close() {
    flush();
    closed = true;
  }

  /** Writes the waiting lines. */
  synchronized void flush() {
    if (pending.isEmpty()) {
      return;
    }
    try {
      transactions.inTenant(tenant, c -> {
        repository.appendLog(c, tenant, job, pending);
        return null;
      });
    } catch (Transactions.DatabaseException e) {
      // Lost lines must not end the job; the lease renewal notices a database that is really gone.
      logger.warn("could not write {} line(s) of job {}'s log: {}", pending.size(), job, e.getMessage());
    }
    pending.clear();
  }

  /** Says how many lines were not kept, for the job's last line; empty when none. */
  synchronized String droppedNote() {
    return dropped == 0 ? "" : " (" + dropped + " log lines not kept: over " + max + " lines)";
  }
}
