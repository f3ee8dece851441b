package io.infracast.operator.data;

/**
 * Whether the database can be used, as the workload sees it.
 *
 * @param ready whether pods can connect with the URL in {@link DataPlanes#databaseUrlSecret}
 * @param reason a CamelCase condition reason
 * @param message what a user should know, naming the object and key at fault
 * @param endpoint host:port when known, for status; never credentials
 */
public record DatabaseState(boolean ready, String reason, String message, String endpoint) {

  public static DatabaseState notReady(String reason, String message) {
    return new DatabaseState(false, reason, message, null);
  }
}
