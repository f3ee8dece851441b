package io.infracast.api.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infracast.api.platform.db.Sql;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.Caller;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The audit domain's door: other domains record each write with {@link #record}, on the connection of the
 * transaction that makes the write, so a change is never committed without its entry (nor an entry without it).
 */
public final class AuditService {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Transactions transactions;

  public AuditService(Transactions transactions) {
    this.transactions = transactions;
  }

  /**
   * Records a write.
   *
   * @param actor who made it; null for the service itself (bootstrap)
   * @param tenant the tenant it concerns; null for none
   * @param action what was done, {@code <target type>.<verb>} ({@code api_key.created})
   */
  public void record(Connection c, Caller actor, UUID tenant, String action, String targetType, String targetId,
      Map<String, Object> details) throws SQLException {
    String json;
    try {
      json = JSON.writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit details are not serialisable", e);
    }
    Sql.update(c, "insert into audit_log (tenant_id, actor_type, actor_id, action, target_type, target_id, details)"
            + " values (?, ?, ?, ?, ?, ?, ?::jsonb)",
        tenant, actor == null ? "system" : actor.kind().wire(), actor == null ? null : actor.id().toString(),
        action, targetType, targetId, json);
  }

  /** A page of the tenant's audit log, newest first. */
  Map<String, Object> list(UUID tenant, Page page) {
    return transactions.inTenant(tenant, c -> {
      long total = Sql.one(c, "select count(*) from audit_log", rs -> rs.getLong(1)).orElse(0L);
      List<AuditEntry> items = Sql.list(c, "select id, occurred_at, tenant_id, actor_type, actor_id, action, "
          + "target_type, target_id, details::text from audit_log order by occurred_at desc, id desc "
          + "limit ? offset ?", rs -> {
            try {
              return new AuditEntry(rs.getLong(1), Sql.instant(rs, "occurred_at"), rs.getObject(3, UUID.class),
                  rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                  JSON.readTree(rs.getString(9)));
            } catch (JsonProcessingException e) {
              throw new SQLException("unreadable audit details", e);
            }
          }, page.perPage(), page.offset());
      return page.body(items, total);
    });
  }
}
