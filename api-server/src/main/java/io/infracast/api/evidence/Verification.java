package io.infracast.api.evidence;

/**
 * The answer of {@code POST /reports/verify}.
 *
 * @param kind {@code artifact} or {@code bundle}
 * @param reason what failed (the first check that did), or what was verified when valid
 */
public record Verification(boolean valid, String reason, String kind) {}
