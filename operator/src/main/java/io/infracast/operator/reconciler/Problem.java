package io.infracast.operator.reconciler;

/**
 * Something wrong that the CRD schema cannot see (a referenced Secret missing, a profile default that
 * conflicts with an override). It holds the Deployment back and shows as the Degraded condition.
 *
 * @param reason CamelCase condition reason
 * @param message what to fix, naming the object and key
 */
public record Problem(String reason, String message) {}
