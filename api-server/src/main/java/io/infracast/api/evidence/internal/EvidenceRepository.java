package io.infracast.api.evidence.internal;

import io.infracast.api.evidence.EvidenceFilter;
import io.infracast.api.evidence.EvidenceSummary;
import io.infracast.api.platform.db.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The evidence index's SQL, on the connection of a tenant transaction (row-level security limits every statement
 * to the tenant). The index is append-only: the tenant role may not update or delete it (V9).
 */
public final class EvidenceRepository {
  private static final String COLUMNS = "id, evaluation_id, framework, control_id, result, assets_evaluated,"
      + " failing_assets, content_hash, key_id, object_key, generated_at";

  /** Indexes one evaluation's artifacts, in one statement. */
  public void insert(Connection c, UUID tenant, List<EvidenceSummary> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    EvidenceSummary first = rows.get(0);
    Sql.update(c, "insert into evidence_artifacts (tenant_id, evaluation_id, key_id, generated_at, id,"
        + " framework, control_id, result, assets_evaluated, failing_assets, content_hash, object_key)"
        + " select ?, ?, ?, ?, t.* from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::bigint[],"
        + " ?::bigint[], ?::text[], ?::text[]) as t", tenant, first.evaluationId(), first.keyId(),
        Timestamp.from(first.generatedAt()),
        c.createArrayOf("uuid", rows.stream().map(EvidenceSummary::id).toArray()),
        c.createArrayOf("text", rows.stream().map(EvidenceSummary::framework).toArray()),
        c.createArrayOf("text", rows.stream().map(EvidenceSummary::controlId).toArray()),
        c.createArrayOf("text", rows.stream().map(EvidenceSummary::result).toArray()),
        c.createArrayOf("bigint", rows.stream().map(EvidenceSummary::assetsEvaluated).toArray()),
        c.createArrayOf("bigint", rows.stream().map(EvidenceSummary::failingAssets).toArray()),
        c.createArrayOf("text", rows.stream().map(EvidenceSummary::contentHash).toArray()),
        c.createArrayOf("text", rows.stream().map(EvidenceSummary::objectKey).toArray()));
  }

  public Optional<EvidenceSummary> one(Connection c, UUID id) throws SQLException {
    return Sql.one(c, "select " + COLUMNS + " from evidence_artifacts where id = ?", EvidenceRepository::row, id);
  }

  /** A page of the artifacts matching {@code filter}, newest first, and how many match in all. */
  public Map.Entry<List<EvidenceSummary>, Long> page(Connection c, EvidenceFilter filter, int limit, int offset)
      throws SQLException {
    StringBuilder where = new StringBuilder(" where true");
    List<Object> params = new ArrayList<>();
    filter.framework().ifPresent(f -> {
      where.append(" and framework = ?");
      params.add(f);
    });
    filter.controlId().ifPresent(id -> {
      where.append(" and control_id = ?");
      params.add(id);
    });
    filter.result().ifPresent(r -> {
      where.append(" and result = ?");
      params.add(r.wire());
    });
    return Sql.page(c, COLUMNS, "evidence_artifacts", where, params, "generated_at", "id", true,
        EvidenceRepository::row, limit, offset);
  }

  /** The artifacts of the tenant's latest evaluation (of {@code framework}'s controls, when given). */
  public List<EvidenceSummary> latest(Connection c, Optional<String> framework) throws SQLException {
    return Sql.list(c, "select " + COLUMNS + " from evidence_artifacts where evaluation_id = (select evaluation_id"
        + " from evidence_artifacts order by generated_at desc, id desc limit 1)"
        + " and (?::text is null or framework = ?) order by framework, control_id", EvidenceRepository::row,
        framework.orElse(null), framework.orElse(null));
  }

  private static EvidenceSummary row(ResultSet rs) throws SQLException {
    return new EvidenceSummary(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
        rs.getString(4), rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9),
        rs.getString(10), Sql.instant(rs, "generated_at"));
  }
}
