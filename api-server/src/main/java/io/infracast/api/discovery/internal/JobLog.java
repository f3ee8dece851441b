package io.infracast.api.discovery.internal;

import io.infracast.api.platform.db.Transactions;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running job's log, written line by line in the tenant's transaction so that every replica's stream sees it.
 * Lines are written one at a time (a plugin's stdout and stderr arrive on two threads), which keeps their order;
 * at most {@code max} lines are stored per run, the rest only counted.
 */
final class JobLog {
  private static final Logger logger = LoggerFactory.getLogger(JobLog.class);

  private final Transactions transactions;
  private final JobRepository repository;
  private final UUID tenant;
  private final UUID job;
  private final int max;
  private int stored;
  private long dropped;

  JobLog(Transactions transactions, JobRepository repository, UUID tenant, UUID job, int max) {
    this.transactions = transactions;
    this.repository = repository;
    this.tenant = tenant;
    this.job = job;
    this.max = max;
  }

  synchronized void append(String level, String source, String message) {
    if (stored >= max) {
      dropped++;
      return;
    }
    stored++;
    try {
      transactions.inTenant(tenant, c -> {
        repository.appendLog(c, tenant, job, level, source, message.replace('\u0000', '\uFFFD'));
        return null;
      });
    } catch (Transactions.DatabaseException e) {
      // A lost line must not end the job; the lease renewal notices a database that is really gone.
      logger.warn("could not write a line of job {}'s log: {}", job, e.getMessage());
    }
  }

  /** Says how many lines were not stored, for the job's last line; empty when none. */
  synchronized String droppedNote() {
    return dropped == 0 ? "" : " (" + dropped + " log lines not kept: over " + max + " lines)";
  }
}
