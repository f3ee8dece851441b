package io.infracast.api.discovery.internal;

import java.time.Duration;

/**
 * How a replica's job worker runs jobs.
 *
 * @param slots jobs it runs at once
 * @param poll how often it looks for jobs to claim (a job created on this replica starts at once regardless)
 * @param lease how long a claim lasts without renewal; renewed every third of it, so another replica takes a job
 *     over at most this long after its replica died
 * @param maxAttempts how many times a job is started before a lost one fails instead of running again
 * @param defaultTimeout a job's deadline when its config has no {@code timeout_seconds}
 * @param maxTimeout the largest {@code timeout_seconds} a job may ask for
 * @param maxOutputBytes stdout bytes one plugin run may write
 * @param maxOutputLines stdout lines one plugin run may write
 * @param maxLineBytes the longest stdout line
 * @param maxLogLines job log lines kept per job (the rest are counted, not stored)
 * @param schedulePoll how often the replica's scheduler looks for due schedules
 */
public record WorkerSettings(int slots, Duration poll, Duration lease, int maxAttempts, Duration defaultTimeout,
    Duration maxTimeout, long maxOutputBytes, long maxOutputLines, int maxLineBytes, int maxLogLines,
    Duration schedulePoll) {

  /** What the service runs with. */
  public static WorkerSettings defaults() {
    return new WorkerSettings(4, Duration.ofSeconds(1), Duration.ofSeconds(30), 3, Duration.ofHours(1),
        Duration.ofHours(6), 256L * 1024 * 1024, 1_000_000, 1024 * 1024, 2_000, Duration.ofSeconds(2));
  }

  public WorkerSettings withLease(Duration newLease, int newMaxAttempts) {
    return new WorkerSettings(slots, poll, newLease, newMaxAttempts, defaultTimeout, maxTimeout, maxOutputBytes,
        maxOutputLines, maxLineBytes, maxLogLines, schedulePoll);
  }

  public WorkerSettings withSchedulePoll(Duration newSchedulePoll) {
    return new WorkerSettings(slots, poll, lease, maxAttempts, defaultTimeout, maxTimeout, maxOutputBytes,
        maxOutputLines, maxLineBytes, maxLogLines, newSchedulePoll);
  }
}
