package io.infracast.api.integrations.internal;

import io.infracast.api.integrations.Delivery;
import io.infracast.api.integrations.Integration;
import io.infracast.api.platform.crypto.SecretCipher;
import io.infracast.api.platform.db.Sql;
import io.infracast.api.platform.security.Caller;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The integrations' and their deliveries' SQL on a tenant transaction's connection (row-level security applies). */
public final class IntegrationRepository {
  private static final String COLUMNS = "id, type, name, url, events, enabled, created_by_type, created_by, created_at";
  private static final String DELIVERY_COLUMNS = "id, event_id, event_type, status, attempts, next_attempt_at,"
      + " last_attempt_at, last_status_code, last_error, created_at, finished_at";

  /** Where a webhook's sealed secret is bound to: its tenant and row (a copy elsewhere does not open). */
  public static String secretContext(UUID tenant, UUID integration) {
    return "integrations/" + tenant + "/" + integration;
  }

  public void insert(Connection c, UUID tenant, UUID id, String name, String url, List<String> events,
      boolean enabled, SecretCipher.Sealed secret, Caller caller) throws SQLException {
    Sql.update(c, "insert into integrations (id, tenant_id, type, name, url, events, enabled, secret_key_id,"
        + " secret_nonce, secret_ciphertext, created_by_type, created_by) values (?, ?, 'webhook', ?, ?, ?, ?, ?, ?,"
        + " ?, ?, ?)", id, tenant, name, url, c.createArrayOf("text", events.toArray()), enabled, secret.keyId(),
        secret.nonce(), secret.ciphertext(), caller.kind().wire(), caller.id().toString());
  }

  public Optional<Integration> integration(Connection c, UUID id) throws SQLException {
    return Sql.one(c, "select " + COLUMNS + " from integrations where id = ?", IntegrationRepository::integration,
        id);
  }

  /** A page of integrations, oldest first, and how many there are. */
  public Map.Entry<List<Integration>, Long> integrations(Connection c, int limit, int offset) throws SQLException {
    return Sql.page(c, COLUMNS, "integrations", "", List.of(), "created_at", "id", false,
        IntegrationRepository::integration, limit, offset);
  }

  /** Deletes an integration and its deliveries; false when there is none. */
  public boolean delete(Connection c, UUID id) throws SQLException {
    return Sql.update(c, "delete from integrations where id = ?", id) == 1;
  }

  /** A page of an integration's deliveries, newest first, of one status or all, and how many match. */
  public Map.Entry<List<Delivery>, Long> deliveries(Connection c, UUID integration, Optional<String> status,
      int limit, int offset) throws SQLException {
    StringBuilder where = new StringBuilder(" where integration_id = ?");
    List<Object> params = new ArrayList<>(List.of(integration));
    status.ifPresent(s -> {
      where.append(" and status = ?");
      params.add(s);
    });
    return Sql.page(c, DELIVERY_COLUMNS, "webhook_deliveries", where, params, "created_at", "id", true,
        rs -> new Delivery(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
            rs.getString(4), rs.getInt(5), Sql.instant(rs, "next_attempt_at"), Sql.instant(rs, "last_attempt_at"),
            rs.getObject(8, Integer.class), rs.getString(9), Sql.instant(rs, "created_at"),
            Sql.instant(rs, "finished_at")), limit, offset);
  }

  private static Integration integration(ResultSet rs) throws SQLException {
    return new Integration(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
        Arrays.asList((String[]) rs.getArray(5).getArray()), rs.getBoolean(6),
        Map.of("type", rs.getString(7), "id", rs.getString(8)), Sql.instant(rs, "created_at"), null);
  }
}
