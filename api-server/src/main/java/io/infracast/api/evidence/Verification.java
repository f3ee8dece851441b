package io.infracast.api.evidence;

/**
 * The answer of {@code POST /reports/verify}.
 *
 * @param kind {@code artifact} or {@code bundle}
 * @param reason what failed (the first check that did), or what was verified when valid
 * @param keyId the key the artifact (a bundle: its manifest) names; null when the check did not get that far
 * @param currentKey whether that key is the one this service signs with now (false: a former key, or one it never
 *     used); null with {@code keyId}
 */
public record Verification(boolean valid, String reason, String kind, String keyId, Boolean currentKey) {}
