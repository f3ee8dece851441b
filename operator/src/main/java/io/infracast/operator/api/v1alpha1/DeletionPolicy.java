package io.infracast.operator.api.v1alpha1;

/** What happens to the database when the installation is deleted. */
public enum DeletionPolicy {
  Retain,
  Snapshot,
  Delete
}
