package io.infracast.api.platform.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infracast.api.platform.db.Sql;
import io.infracast.api.platform.http.HttpServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The event outbox (table {@code outbox_events}, migration V10): a domain publishes an event on the connection of
 * the transaction that makes the change, so the event is committed exactly when the change is, and a crash or a
 * restart loses none. The integrations domain {@link #subscribe}s its webhooks to event types, {@link #take}s
 * events out and turns them into webhook deliveries. An event no subscriber wants is not written, nor its payload
 * made: a tenant without webhooks pays one query per event type (publishing 100,000 finding events took 2.6 to
 * 4.8 s).
 *
 * <p>Events in use: {@code finding.created}, {@code finding.severity_changed} (compliance), {@code job.completed},
 * {@code job.failed} (discovery). A payload is serialised as the API serialises its bodies (snake_case fields).
 */
public final class Outbox {
  private static final ObjectMapper JSON = HttpServer.objectMapper();

  /** An event taken out of the outbox: its payload as JSON text. */
  public record Event(UUID id, UUID tenantId, String tenantSlug, String type, String payload, Instant createdAt) {}

  private Outbox() {}

  /** An event's payloads, made only when a subscriber wants the event (reading them may take queries). */
  @FunctionalInterface
  public interface Payloads {
    List<?> get() throws SQLException;
  }

  /**
   * Publishes one event of {@code type} for each payload, in {@code c}'s transaction, if a subscriber wants events
   * of this type of this tenant; otherwise does nothing, not even make the payloads.
   */
  public static void publish(Connection c, UUID tenant, String type, Payloads made) throws SQLException {
    if (!Sql.one(c, "select exists (select 1 from outbox_subscriptions where tenant_id = ? and type = ?)",
        rs -> rs.getBoolean(1), tenant, type).orElseThrow()) {
      return;
    }
    List<?> payloads = made.get();
    if (payloads.isEmpty()) {
      return;
    }
    String[] ids = new String[payloads.size()];
    String[] bodies = new String[payloads.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = UUID.randomUUID().toString();
      try {
        bodies[i] = JSON.writeValueAsString(payloads.get(i));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("an event payload that is not JSON: " + e.getMessage(), e);
      }
    }
    // clock_timestamp(): events of one transaction keep the order they were published in.
    Sql.update(c, "insert into outbox_events (id, tenant_id, type, payload, created_at) select t.id::uuid, ?, ?,"
        + " t.payload::jsonb, clock_timestamp() from unnest(?::text[], ?::text[]) with ordinality as t(id, payload, n)"
        + " order by t.n", tenant, type, c.createArrayOf("text", ids), c.createArrayOf("text", bodies));
  }

  /** From now on, {@code subscriber} wants the tenant's events of these types (in the caller's transaction). */
  public static void subscribe(Connection c, UUID tenant, UUID subscriber, Collection<String> types)
      throws SQLException {
    Sql.update(c, "insert into outbox_subscriptions (tenant_id, type, subscriber_id) select ?, t, ? from"
        + " unnest(?::text[]) as t on conflict do nothing", tenant, subscriber, c.createArrayOf("text",
        types.toArray()));
  }

  /** {@code subscriber} wants no more events. */
  public static void unsubscribe(Connection c, UUID subscriber) throws SQLException {
    Sql.update(c, "delete from outbox_subscriptions where subscriber_id = ?", subscriber);
  }

  /**
   * Removes and returns up to {@code limit} of the oldest events, skipping those another transaction is taking:
   * to be called in the transaction that records what becomes of them (one that rolls back puts them back).
   * Runs across tenants (the login user's transaction).
   */
  public static List<Event> take(Connection c, int limit) throws SQLException {
    return Sql.list(c, "delete from outbox_events o where o.id in (select id from outbox_events order by created_at"
        + " for update skip locked limit ?) returning o.id, o.tenant_id, (select slug from tenants t where"
        + " t.id = o.tenant_id), o.type, o.payload::text, o.created_at",
        rs -> new Event(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
            rs.getString(4), rs.getString(5), Sql.instant(rs, "created_at")), limit);
  }
}
