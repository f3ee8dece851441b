package io.infracast.operator.migration;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Fleet safety: at most {@code limit} installations migrate or roll out at once, across all the operator
 * watches. What is in flight is counted from the cluster (running migration Jobs, rolling Deployments) plus the
 * slots granted since that the cluster does not show yet, so a restarted operator or a new leader counts every
 * rollout before it grants a slot. Waiting installations queue in arrival order and are woken, through
 * {@code wake}, as soon as a slot frees.
 */
public class RolloutLimiter {

  private final int limit;
  private final Consumer<String> wake;
  /** Granted by this process and not yet released: covers the moment between a grant and the cluster showing it. */
  private final Set<String> granted = new HashSet<>();
  private final LinkedHashSet<String> waiting = new LinkedHashSet<>();
  /** In flight in the cluster when last counted: a restarted operator frees their slots without having granted them. */
  private final Set<String> seenInCluster = new HashSet<>();

  /** @param wake called with the key of a waiting installation when a slot frees for it */
  public RolloutLimiter(int limit, Consumer<String> wake) {
    if (limit < 1) {
      throw new IllegalArgumentException("the rollout limit must be at least 1, not " + limit);
    }
    this.limit = limit;
    this.wake = wake;
  }

  public int limit() {
    return limit;
  }

  /**
   * Takes a slot for {@code key} if it holds one or one is free for it (earlier waiters first); otherwise queues it.
   *
   * @param inCluster keys the cluster shows migrating or rolling out
   * @param live keys of every installation that still exists, so slots and places of deleted ones are freed
   */
  public synchronized boolean tryAcquire(String key, Supplier<Set<String>> inCluster, Set<String> live) {
    granted.retainAll(live);
    waiting.retainAll(live);
    if (granted.contains(key)) {
      return true; // holds its slot: nothing to count (counting reads every installation's Jobs and Deployments)
    }
    var inFlight = inFlight(inCluster.get(), live);
    if (!inFlight.contains(key) && placeInQueue(key) >= limit - inFlight.size()) {
      waiting.add(key);
      return false;
    }
    granted.add(key);
    waiting.remove(key);
    return true;
  }

  /** {@code key} needs no slot (anymore): frees its slot or its place in the queue, and wakes who may go now. */
  public synchronized void release(String key, Supplier<Set<String>> inCluster, Set<String> live) {
    var held = granted.remove(key) | seenInCluster.remove(key);
    var queued = waiting.remove(key);
    if (held || queued) {
      var free = limit - inFlight(inCluster.get(), live).size();
      waiting.stream().filter(live::contains).limit(Math.max(0, free)).toList().forEach(wake);
    }
  }

  /** How many wait ahead of {@code key}: all that wait, if it does not wait yet. */
  private int placeInQueue(String key) {
    var place = 0;
    for (var waiter : waiting) {
      if (waiter.equals(key)) {
        return place;
      }
      place++;
    }
    return place;
  }

  private Set<String> inFlight(Set<String> inCluster, Set<String> live) {
    seenInCluster.clear();
    seenInCluster.addAll(inCluster);
    var inFlight = new HashSet<>(granted);
    inCluster.stream().filter(live::contains).forEach(inFlight::add);
    return inFlight;
  }

  /** Installations holding a slot according to this process alone, for metrics and tests. */
  public synchronized int granted() {
    return granted.size();
  }

  public synchronized int waiting() {
    return waiting.size();
  }
}
