package io.infracast.api.compliance.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infracast.api.compliance.Assessment;
import io.infracast.api.compliance.Finding;
import io.infracast.api.compliance.FindingFilter;
import io.infracast.api.compliance.Severity;
import io.infracast.api.platform.db.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The findings' SQL, on the connection of a tenant transaction (row-level security limits every statement to the
 * tenant). Every value is a bound parameter; the sort column comes from {@link #SORT_COLUMNS}.
 */
public final class FindingsRepository {
  /** Sortable fields (the API's names) and their columns: the only way a caller's word reaches SQL text. */
  public static final Map<String, String> SORT_COLUMNS = Map.of("risk_score", "risk_score", "first_seen_at",
      "first_seen_at", "rule_id", "rule_id", "node_id", "node_id", "status",
      "status", "status_changed_at", "status_changed_at");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<Map<String, String>>> CONTROLS = new TypeReference<>() {};
  private static final String COLUMNS = "id, rule_id, pack_id, title, severity, risk_score, framework, control_id,"
      + " controls::text, node_id, resource_type, node_name, remediation, status, status_reason, status_changed_at,"
      + " status_changed_by, first_seen_at";

  /** What a finding takes from its rule and node at each evaluation. */
  private static final List<String> CONTENT = List.of("pack_id", "resource_type", "node_name", "title", "severity",
      "risk_score", "framework", "control_id", "controls", "remediation");

  /** A rule that failed on a node in an evaluation. */
  public record Match(Rule rule, String nodeId, String nodeType, String nodeName) {}

  /** A row an evaluation wrote: its severity now, and whether it is new. */
  private record Written(UUID id, String severity, boolean inserted) {}

  /** A finding as an evaluation first reads it. */
  private record Known(String key, UUID id, String status, String severity) {}

  private static String key(String ruleId, String nodeId) {
    return ruleId + "\n" + nodeId;
  }

  /**
   * What {@link #record} changed: the new findings, how many reopened and resolved, and the findings whose severity
   * their rule changed, with the severity they had.
   */
  public record Recorded(List<UUID> created, int reopened, int resolved, Map<UUID, Severity> severityChanged) {}

  /** A finding that took a new severity from its rule (an event payload: the finding and what it was). */
  public record SeverityChanged(Finding finding, Severity previousSeverity) {}

  /**
   * Records an evaluation's matches: new (rule, node) pairs become open findings, resolved ones that match again
   * open again, accepted ones stay accepted; each takes the rule's current title, severity, score, controls and
   * remediation. Open findings this evaluation did not match are resolved. Only rows that change are written.
   * Evaluations of one tenant take turns (a transaction-scoped advisory lock), so a job's evaluation and a user's
   * never interleave.
   */
  public Recorded record(Connection c, UUID tenant, Collection<Match> matches) throws SQLException {
    Sql.one(c, "select pg_advisory_xact_lock(hashtextextended('infracast-compliance:' || ?, 0))", rs -> 1,
        tenant.toString());
    String[][] cols = new String[13][matches.size()];
    int i = 0;
    for (Match m : matches) {
      Rule r = m.rule();
      String[] row = {UUID.randomUUID().toString(), r.id(), r.pack(), m.nodeId(), m.nodeType(), m.nodeName(),
          r.title(), r.severity().name(), Integer.toString(r.riskScore()), r.controls().get(0).framework(),
          r.controls().get(0).controlId(), controls(r.controls()), r.remediation()};
      for (int k = 0; k < row.length; k++) {
        cols[k][i] = row[k];
      }
      i++;
    }
    // Every finding's key and status (a few short columns even for a large tenant): which matches reopen a
    // resolved finding, and which open findings this evaluation did not match.
    List<Known> known = Sql.list(c, "select rule_id, node_id, id, status, severity from findings",
        rs -> new Known(key(rs.getString(1), rs.getString(2)), rs.getObject(3, UUID.class), rs.getString(4),
            rs.getString(5)));
    Set<String> matched = new HashSet<>();
    matches.forEach(m -> matched.add(key(m.rule().id(), m.nodeId())));
    int reopened = (int) known.stream().filter(k -> k.status().equals("resolved") && matched.contains(k.key()))
        .count();
    UUID[] unmatched = known.stream().filter(k -> k.status().equals("open") && !matched.contains(k.key()))
        .map(Known::id).toArray(UUID[]::new);
    List<Object> params = new ArrayList<>(List.of(tenant));
    for (String[] col : cols) {
      params.add(c.createArrayOf("text", col));
    }
    String reopen = "case when findings.status = 'resolved' then ";
    List<Written> written = Sql.list(c, "insert into findings (tenant_id, id, rule_id, node_id, status, "
        + columns("") + ") select ?, t.id::uuid, t.rule_id, t.node_id, 'open', t.pack_id, t.resource_type,"
        + " t.node_name, t.title, t.severity, t.risk_score::int, t.framework, t.control_id, t.controls::jsonb,"
        + " t.remediation from unnest(" + "?::text[], ".repeat(cols.length - 1) + "?::text[])"
        + " as t(id, rule_id, pack_id, node_id, resource_type, node_name, title, severity, risk_score, framework,"
        + " control_id, controls, remediation)"
        + " on conflict (tenant_id, rule_id, node_id) do update set (" + columns("") + ") = (select "
        + columns("excluded.") + "),"
        + " status = " + reopen + "'open' else findings.status end,"
        + " status_reason = " + reopen + "'matches again' else findings.status_reason end,"
        + " status_changed_by = " + reopen + "null else findings.status_changed_by end,"
        + " status_changed_at = " + reopen + "now() else findings.status_changed_at end"
        // An unchanged finding is not written again: re-evaluating an unchanged graph writes nothing.
        + " where findings.status = 'resolved' or (" + columns("findings.") + ") is distinct from ("
        + columns("excluded.") + ") returning id, severity, (xmax = 0)",
        rs -> new Written(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3)), params.toArray());
    int resolved = Sql.update(c, "update findings set status = 'resolved', status_reason = 'no longer matches',"
        + " status_changed_by = null, status_changed_at = now() where id = any (?)",
        c.createArrayOf("uuid", unmatched));
    Map<UUID, String> severities = new HashMap<>();
    known.forEach(k -> severities.put(k.id(), k.severity()));
    List<UUID> created = new ArrayList<>();
    Map<UUID, Severity> changed = new HashMap<>();
    for (Written w : written) {
      if (w.inserted()) {
        created.add(w.id());
      } else if (!w.severity().equals(severities.get(w.id()))) {
        changed.put(w.id(), Severity.valueOf(severities.get(w.id())));
      }
    }
    return new Recorded(created, reopened, resolved, changed);
  }

  /** These findings, in no particular order. */
  public List<Finding> findings(Connection c, Collection<UUID> ids) throws SQLException {
    return Sql.list(c, "select " + COLUMNS + " from findings where id = any (?)", FindingsRepository::finding,
        c.createArrayOf("uuid", ids.toArray()));
  }

  /**
   * The open and accepted findings of {@code ruleIds} per control and status: how many, on how many nodes, and
   * the first {@code sample} ids. One aggregate over the findings, however many there are.
   */
  public Map<Finding.Control, Map<String, Assessment.Findings>> controlFindings(Connection c, List<String> ruleIds,
      int sample) throws SQLException {
    record Row(Finding.Control control, String status, Assessment.Findings findings) {}
    List<Row> rows = Sql.list(c, "select ctl->>'framework', ctl->>'control_id', f.status, count(*),"
        + " count(distinct f.node_id), (array_agg(f.id order by f.id))[1:?] from findings f"
        + " cross join lateral jsonb_array_elements(f.controls) ctl"
        + " where f.status in ('open', 'accepted') and f.rule_id = any (?) group by 1, 2, 3",
        rs -> new Row(new Finding.Control(rs.getString(1), rs.getString(2)), rs.getString(3),
            new Assessment.Findings(rs.getLong(4), rs.getLong(5), List.of((UUID[]) rs.getArray(6).getArray()))),
        sample, c.createArrayOf("text", ruleIds.toArray(String[]::new)));
    Map<Finding.Control, Map<String, Assessment.Findings>> out = new HashMap<>();
    rows.forEach(r -> out.computeIfAbsent(r.control(), k -> new HashMap<>()).put(r.status(), r.findings()));
    return out;
  }

  public Optional<Finding> finding(Connection c, UUID id) throws SQLException {
    return Sql.one(c, "select " + COLUMNS + " from findings where id = ?", FindingsRepository::finding, id);
  }

  /** Sets a finding's status by a caller; empty when there is no such finding. */
  public Optional<Finding> setStatus(Connection c, UUID id, String status, String reason, String by)
      throws SQLException {
    return Sql.one(c, "update findings set status = ?, status_reason = ?, status_changed_by = ?,"
        + " status_changed_at = now() where id = ? returning " + COLUMNS, FindingsRepository::finding,
        status, reason, by, id);
  }

  /** A page of the findings matching {@code filter}, and how many match in all. */
  public Map.Entry<List<Finding>, Long> findings(Connection c, FindingFilter filter, int limit, int offset)
      throws SQLException {
    StringBuilder where = new StringBuilder(" where true");
    List<Object> params = new ArrayList<>();
    filter.framework().ifPresent(f -> {
      where.append(" and controls @> ?::jsonb");
      params.add(controls(List.of(Map.of("framework", f))));
    });
    filter.controlId().ifPresent(id -> {
      where.append(" and controls @> ?::jsonb");
      params.add(controls(List.of(Map.of("control_id", id))));
    });
    anyOf(c, where, params, "severity", filter.severities().stream().map(Severity::name).toList());
    anyOf(c, where, params, "status", filter.statuses());
    anyOf(c, where, params, "resource_type", filter.resourceTypes());
    if (filter.search().isPresent()) {
      String pattern = Sql.containing(filter.search().get());
      where.append(" and (title ilike ? or rule_id ilike ? or node_id ilike ? or node_name ilike ?)");
      for (int i = 0; i < 4; i++) {
        params.add(pattern);
      }
    }
    return Sql.page(c, COLUMNS, "findings", where, params, SORT_COLUMNS.get(filter.sort()), "id",
        filter.descending(), FindingsRepository::finding, limit, offset);
  }

  private static String columns(String prefix) {
    return String.join(", ", CONTENT.stream().map(col -> prefix + col).toList());
  }

  private static void anyOf(Connection c, StringBuilder where, List<Object> params, String column,
      List<String> values) throws SQLException {
    if (!values.isEmpty()) {
      where.append(" and ").append(column).append(" = any (?)");
      params.add(c.createArrayOf("text", values.toArray(String[]::new)));
    }
  }

  private static String controls(List<?> controls) {
    try {
      return JSON.writeValueAsString(controls.stream().map(o -> o instanceof Finding.Control fc
          ? Map.of("framework", fc.framework(), "control_id", fc.controlId()) : o).toList());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Finding finding(ResultSet rs) throws SQLException {
    List<Finding.Control> controls;
    try {
      controls = JSON.readValue(rs.getString(9), CONTROLS).stream()
          .map(m -> new Finding.Control(m.get("framework"), m.get("control_id"))).toList();
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable controls of finding " + rs.getString(1), e);
    }
    return new Finding(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
        Severity.valueOf(rs.getString(5)), rs.getInt(6), rs.getString(7), rs.getString(8), controls,
        rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
        rs.getString(15), Sql.instant(rs, "status_changed_at"), rs.getString(17), Sql.instant(rs, "first_seen_at"));
  }
}
