package io.infracast.api.integrations.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DispatcherTest {
  @Test
  void backoffDoublesWithJitterUpToAnHour() {
    Duration base = Duration.ofSeconds(15);
    for (int attempt = 1; attempt <= 40; attempt++) {
      long full = Math.min(3_600_000, 15_000L << Math.min(attempt - 1, 30));
      long wait = Dispatcher.backoff(base, attempt).toMillis();
      assertThat(wait).as("after attempt %d", attempt).isBetween(full / 2, full);
    }
  }
}
