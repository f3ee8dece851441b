package io.infracast.api.integrations.internal;

import io.infracast.api.platform.crypto.SecretCipher;
import io.infracast.api.platform.db.Sql;
import io.infracast.api.platform.events.Outbox;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The dispatcher's SQL, across tenants (the login user's transactions): events into deliveries, claiming due
 * deliveries for an attempt, writing an attempt's result.
 */
final class DeliveryQueue {
  /** A delivery claimed for one attempt: what sending it takes. */
  record Claimed(UUID id, UUID tenantId, UUID integrationId, String url, String eventType, String body, int attempt,
      SecretCipher.Sealed secret) {}

  /** An attempt's result: {@code pending} again (retry after {@code retryIn}), {@code succeeded} or {@code failed}. */
  record Result(String status, Integer statusCode, String error, Duration retryIn) {}

  /**
   * One delivery per event and enabled webhook of the event's tenant subscribed to its type, with the body it is
   * sent with; events nobody subscribes to end here. Returns how many deliveries were made.
   */
  int fanOut(Connection c, List<Outbox.Event> events, List<String> bodies) throws SQLException {
    if (events.isEmpty()) {
      return 0;
    }
    return Sql.update(c, "insert into webhook_deliveries (id, tenant_id, integration_id, event_id, event_type, body,"
        + " created_at) select gen_random_uuid(), i.tenant_id, i.id, e.event_id, e.type, e.body, clock_timestamp()"
        + " from unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[]) with ordinality as e(event_id, tenant_id, type,"
        + " body, n) join integrations i on i.tenant_id = e.tenant_id and i.enabled and e.type = any(i.events)"
        + " order by e.n, i.id on conflict (integration_id, event_id) do nothing",
        c.createArrayOf("uuid", events.stream().map(Outbox.Event::id).toArray()),
        c.createArrayOf("uuid", events.stream().map(Outbox.Event::tenantId).toArray()),
        c.createArrayOf("text", events.stream().map(Outbox.Event::type).toArray()),
        c.createArrayOf("text", bodies.toArray()));
  }

  /**
   * Claims up to {@code limit} due deliveries, at most {@code perTarget} of one webhook and none of the webhooks in
   * {@code busy} (this replica has attempts to them under way): each attempt is counted and its lease (the time
   * after which another replica may try again) set. Rows another replica is claiming are skipped.
   */
  List<Claimed> claim(Connection c, int limit, int perTarget, Collection<UUID> busy, int maxAttempts,
      Duration lease) throws SQLException {
    return Sql.list(c, "update webhook_deliveries d set attempts = d.attempts + 1, last_attempt_at = now(),"
        + " next_attempt_at = now() + ? * interval '1 ms' from (select x.id from integrations i cross join lateral"
        + " (select w.id from webhook_deliveries w where w.integration_id = i.id and w.status = 'pending'"
        + " and w.next_attempt_at <= now() and w.attempts < ? order by w.next_attempt_at limit ?"
        + " for update skip locked) x where i.enabled and i.id <> all (?) limit ?) s, integrations i"
        + " where d.id = s.id and i.id = d.integration_id returning d.id, d.tenant_id, d.integration_id, i.url,"
        + " d.event_type, d.body, d.attempts, i.secret_key_id, i.secret_nonce, i.secret_ciphertext",
        rs -> new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7),
            new SecretCipher.Sealed(rs.getString(8), rs.getBytes(9), rs.getBytes(10))),
        lease.toMillis(), maxAttempts, perTarget, c.createArrayOf("uuid", busy.toArray()), limit);
  }

  /** Fails deliveries whose last allowed attempt's replica stopped before writing its result. */
  int failAbandoned(Connection c, int maxAttempts) throws SQLException {
    return Sql.update(c, "update webhook_deliveries set status = 'failed', finished_at = now(),"
        + " next_attempt_at = null, last_error = 'the replica making attempt ' || attempts || ' stopped before it"
        + " ended; not retried' where status = 'pending' and attempts >= ? and next_attempt_at <= now()",
        maxAttempts);
  }

  /** Deletes deliveries that ended before {@code keep} ago; returns how many. */
  int prune(Connection c, Duration keep) throws SQLException {
    return Sql.update(c, "delete from webhook_deliveries where finished_at < now() - ? * interval '1 ms'",
        keep.toMillis());
  }

  /** Writes an attempt's result, if the attempt still holds the delivery (not taken over, nor deleted). */
  void record(Connection c, Claimed d, Result r) throws SQLException {
    Sql.update(c, "update webhook_deliveries set status = ?, last_status_code = ?, last_error = ?,"
        + " next_attempt_at = case when ? = 'pending' then now() + ? * interval '1 ms' end,"
        + " finished_at = case when ? = 'pending' then null else now() end"
        + " where id = ? and attempts = ? and status = 'pending'", r.status(), r.statusCode(), r.error(), r.status(),
        r.retryIn() == null ? 0 : r.retryIn().toMillis(), r.status(), d.id(), d.attempt());
  }

  /** Gives attempts that a stopping replica did not finish back, due at once, as if never made. */
  void release(Connection c, Collection<Claimed> unfinished) throws SQLException {
    Sql.update(c, "update webhook_deliveries d set attempts = d.attempts - 1, next_attempt_at = now()"
        + " from unnest(?::uuid[], ?::int[]) as r(id, attempt) where d.id = r.id and d.attempts = r.attempt"
        + " and d.status = 'pending'", c.createArrayOf("uuid", unfinished.stream().map(Claimed::id).toArray()),
        c.createArrayOf("int4", unfinished.stream().map(Claimed::attempt).toArray()));
  }
}
