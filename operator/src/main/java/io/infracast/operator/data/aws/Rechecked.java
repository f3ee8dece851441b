package io.infracast.operator.data.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * AWS's answers kept per key until they are due again: a good answer for the re-read interval, a failed one for
 * a backoff that doubles from the first wait up to that interval. However often installations are reconciled,
 * AWS is asked at most once per due time, so a missing or denied secret never turns into a hot loop of calls.
 */
public final class Rechecked<T> {

  private record Entry<T>(T answer, Instant due, int failures) {}

  private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
  private final Duration interval;
  private final Duration firstBackoff;
  private final Predicate<T> failed;
  private final Clock clock;

  public Rechecked(Duration interval, Duration firstBackoff, Predicate<T> failed, Clock clock) {
    this.interval = interval;
    this.firstBackoff = firstBackoff.compareTo(interval) < 0 ? firstBackoff : interval;
    this.failed = failed;
    this.clock = clock;
  }

  /** The answer kept for {@code key}, or a new one from {@code ask} when none is kept or it is due. */
  public T get(String key, Supplier<T> ask) {
    var now = clock.instant();
    // One caller asks at a time per key: installations sharing a secret share one read.
    return entries.compute(key, (k, kept) -> {
      if (kept != null && now.isBefore(kept.due())) {
        return kept;
      }
      var answer = ask.get();
      var failures = !failed.test(answer) ? 0 : kept == null ? 1 : kept.failures() + 1;
      return new Entry<>(answer, now.plus(failures == 0 ? interval : backoff(failures)), failures);
    }).answer();
  }

  /** How long until {@code key} is asked again; zero when nothing is kept. */
  public Duration untilDue(String key) {
    var entry = entries.get(key);
    if (entry == null) {
      return Duration.ZERO;
    }
    var left = Duration.between(clock.instant(), entry.due());
    return left.isNegative() ? Duration.ZERO : left;
  }

  private Duration backoff(int failures) {
    var wait = firstBackoff.multipliedBy(1L << Math.min(failures - 1, 20));
    return wait.compareTo(interval) < 0 ? wait : interval;
  }
}
