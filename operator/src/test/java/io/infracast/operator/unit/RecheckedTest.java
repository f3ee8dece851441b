package io.infracast.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.infracast.operator.data.aws.Rechecked;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AWS is asked once per due time however often installations are reconciled: on schedule, or backing off. */
class RecheckedTest {

  private static final Duration INTERVAL = Duration.ofMinutes(5);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(15);

  private Instant now = Instant.parse("2026-11-29T10:00:00Z");
  private final List<Instant> asked = new ArrayList<>();

  private final Rechecked<String> answers = new Rechecked<>(INTERVAL, FIRST_BACKOFF, "denied"::equals,
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      });

  /** Reconciles every second for {@code duration}, as a waiting installation is; returns the last answer. */
  private String reconcileEverySecondFor(Duration duration, String answer) {
    var end = now.plus(duration);
    var last = "";
    for (; now.isBefore(end); now = now.plusSeconds(1)) {
      last = answers.get("arn", () -> {
        asked.add(now);
        return answer;
      });
    }
    return last;
  }

  @Test
  void aFailureIsAskedAgainAfterABackoffThatDoublesUpToTheInterval() {
    reconcileEverySecondFor(Duration.ofMinutes(20), "denied");

    var waits = new ArrayList<Long>();
    for (int i = 1; i < asked.size(); i++) {
      waits.add(Duration.between(asked.get(i - 1), asked.get(i)).toSeconds());
    }
    assertThat(waits).as("seconds between two asks over 1200 reconciles").startsWith(15L, 30L, 60L, 120L, 240L, 300L)
        .allMatch(w -> w <= INTERVAL.toSeconds());
    assertThat(asked).hasSizeLessThan(12);
  }

  @Test
  void aGoodAnswerIsKeptForTheIntervalAndAFixSettlesTheBackoff() {
    reconcileEverySecondFor(Duration.ofSeconds(100), "denied");
    var failures = asked.size();
    now = now.plus(INTERVAL);
    assertThat(reconcileEverySecondFor(Duration.ofSeconds(1), "value")).isEqualTo("value");
    assertThat(answers.untilDue("arn")).isEqualTo(INTERVAL.minusSeconds(1));

    reconcileEverySecondFor(INTERVAL.minusSeconds(2), "rotated");
    assertThat(asked).as("no ask before the interval is over").hasSize(failures + 1);
    assertThat(reconcileEverySecondFor(Duration.ofSeconds(2), "rotated")).isEqualTo("rotated");
  }
}
