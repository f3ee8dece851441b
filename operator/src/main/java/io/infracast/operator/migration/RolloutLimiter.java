package io.infracast.operator.migration;

import java.util.HashSet;
import java.util.Set;

/**
 * Fleet safety: at most {@code limit} installations migrate or roll out to a new version at once, across all
 * the operator watches. Held in the leader's memory; after a restart, installations already in flight take
 * their slot back first ({@link #hold}), so the limit holds across restarts too.
 */
public class RolloutLimiter {

  private final int limit;
  private final Set<String> inFlight = new HashSet<>();

  public RolloutLimiter(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the rollout limit must be at least 1, not " + limit);
    }
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }

  /** Takes a slot for {@code key} if it has one or one is free; {@code live} drops slots of deleted objects. */
  public synchronized boolean tryAcquire(String key, Set<String> live) {
    inFlight.retainAll(live);
    if (inFlight.contains(key) || inFlight.size() < limit) {
      inFlight.add(key);
      return true;
    }
    return false;
  }

  /** Records {@code key} as in flight whatever the limit: it already is (its Job exists). */
  public synchronized void hold(String key) {
    inFlight.add(key);
  }

  public synchronized void release(String key) {
    inFlight.remove(key);
  }

  public synchronized int inFlight() {
    return inFlight.size();
  }
}
