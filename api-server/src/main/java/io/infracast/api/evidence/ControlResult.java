package io.infracast.api.evidence;

import java.util.Arrays;
import java.util.Optional;

/**
 * An evidence artifact's verdict on its control, from the assets its rules evaluated and their findings:
 * <ul>
 *   <li>{@code Not Assessed}: no node of the rules' types exists, so nothing was evaluated;
 *   <li>{@code Pass}: no evaluated asset has an open finding of the control's rules;
 *   <li>{@code Partial}: some do, not all;
 *   <li>{@code Fail}: every evaluated asset does.
 * </ul>
 * Accepted findings do not fail a control (their risk was accepted on purpose); the artifact lists them apart,
 * so an auditor sees every exception. Resolved findings do not count.
 */
public enum ControlResult {
  PASS("Pass"),
  PARTIAL("Partial"),
  FAIL("Fail"),
  NOT_ASSESSED("Not Assessed");

  private final String wire;

  ControlResult(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The result named {@code value} (case-insensitive), if any. */
  public static Optional<ControlResult> parse(String value) {
    return Arrays.stream(values()).filter(r -> r.wire.equalsIgnoreCase(value)).findFirst();
  }

  /** The verdict on {@code assets} evaluated assets, {@code failing} of which have an open finding. */
  public static ControlResult of(long assets, long failing) {
    return assets == 0 ? NOT_ASSESSED : failing == 0 ? PASS : failing >= assets ? FAIL : PARTIAL;
  }
}
