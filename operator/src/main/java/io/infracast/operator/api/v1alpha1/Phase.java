package io.infracast.operator.api.v1alpha1;

/** Where an installation is in its life, as one word for printer columns and dashboards. */
public enum Phase {
  Provisioning,
  Migrating,
  RollingOut,
  Ready,
  Degraded,
  Deleting
}
