package io.infracast.operator.data;

/**
 * Whether the database can be used, as the workload sees it.
 *
 * @param ready whether pods can connect with the URL in {@link DataPlanes#databaseUrlSecret}
 * @param provisioning not ready yet, but on its way without anyone having to act (not a problem: no Degraded)
 * @param reason a CamelCase condition reason
 * @param message what a user should know, naming the object and key at fault
 * @param endpoint host:port when known, for status; never credentials
 * @param lastSnapshot the snapshot taken before the latest migration (ack), for status
 */
public record DatabaseState(boolean ready, boolean provisioning, String reason, String message, String endpoint,
    String lastSnapshot) {

  public static DatabaseState ready(String reason, String message, String endpoint) {
    return new DatabaseState(true, false, reason, message, endpoint, null);
  }

  public DatabaseState withLastSnapshot(String snapshot) {
    return new DatabaseState(ready, provisioning, reason, message, endpoint, snapshot);
  }

  /** Not usable until someone fixes what {@code message} says. */
  public static DatabaseState notReady(String reason, String message) {
    return new DatabaseState(false, false, reason, message, null, null);
  }

  /** Not usable yet, and being provisioned. */
  public static DatabaseState provisioning(String reason, String message) {
    return new DatabaseState(false, true, reason, message, null, null);
  }
}
