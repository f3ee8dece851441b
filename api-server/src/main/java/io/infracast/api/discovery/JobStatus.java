package io.infracast.api.discovery;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A discovery job's state: running from its creation until it ends one of three ways. */
public enum JobStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** As in the API and the database ({@code running}). */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<JobStatus> fromWire(String s) {
    return Arrays.stream(values()).filter(v -> v.wire().equals(s)).findFirst();
  }
}
