package io.infracast.api.assets.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infracast.api.assets.Edge;
import io.infracast.api.assets.Ingested;
import io.infracast.api.assets.Neighbor;
import io.infracast.api.assets.Node;
import io.infracast.api.assets.NodeFilter;
import io.infracast.api.platform.db.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The asset graph's SQL. Runs on the connection of a tenant transaction, so row-level security limits every
 * statement to the caller's tenant; {@code tenant} arguments only fill the column on insert. Every value is a bound
 * parameter; the one piece of SQL chosen by the caller, the sort column, comes from {@link #SORT_COLUMNS}. Bulk
 * writes send whole arrays in one {@code INSERT ... SELECT FROM unnest(...) ON CONFLICT} statement.
 */
public final class GraphRepository {
  /** Sortable node fields (the API's names) and their columns: the only way a caller's word reaches SQL text. */
  public static final Map<String, String> SORT_COLUMNS = Map.of(
      "id", "id", "name", "name", "type", "type", "provider", "provider", "region", "region",
      "account_id", "account_id", "discovered_at", "discovered_at");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {};
  private static final String NODE_COLUMNS =
      "n.id, n.type, n.provider, n.region, n.account_id, n.name, n.properties::text, n.tags::text, n.discovered_at";
  private static final String EDGE_COLUMNS =
      "e.id, e.source_id, e.target_id, e.type, e.properties::text, e.created_at";
  private static final String UPSERT_NODES = "insert into nodes (tenant_id, id, type, provider, region, account_id,"
      + " name, properties, tags, discovered_at)"
      + " select ?, t.id, t.type, t.provider, t.region, t.account_id, t.name, t.properties::jsonb, t.tags::jsonb,"
      + " coalesce(t.discovered_at::timestamptz, now())"
      + " from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
      + " ?::text[]) as t(id, type, provider, region, account_id, name, properties, tags, discovered_at)";
  private static final String UPSERT_EDGES = "insert into edges (tenant_id, id, source_id, target_id, type,"
      + " properties) select ?, t.id::uuid, t.source_id, t.target_id, t.type, t.properties::jsonb"
      + " from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
      + " as t(id, source_id, target_id, type, properties)";

  /**
   * Inserts or updates nodes (ids unique within the call) in one statement.
   *
   * @param replace update existing nodes; false leaves them as they are (a create that found its id taken)
   */
  public Ingested upsertNodes(Connection c, UUID tenant, Collection<Node> nodes, boolean replace)
      throws SQLException {
    String[][] cols = columns(nodes, List.of(Node::id, Node::type, Node::provider, Node::region, Node::accountId,
        Node::name, n -> json(n.properties()), n -> json(n.tags()),
        n -> n.discoveredAt() == null ? null : n.discoveredAt().toString()));
    String conflict = replace
        ? " on conflict (tenant_id, id) do update set type = excluded.type, provider = excluded.provider,"
            + " region = excluded.region, account_id = excluded.account_id, name = excluded.name,"
            + " properties = excluded.properties, tags = excluded.tags, discovered_at = excluded.discovered_at"
        : " on conflict (tenant_id, id) do nothing";
    return upsert(c, UPSERT_NODES + conflict, tenant, cols);
  }

  /**
   * Inserts edges, or updates the properties of those already there for their (source, target, type).
   *
   * @param replace update existing edges; false leaves them as they are
   */
  public Ingested upsertEdges(Connection c, UUID tenant, Collection<Edge> edges, boolean replace)
      throws SQLException {
    String[][] cols = columns(edges, List.of(e -> e.id().toString(), Edge::sourceId, Edge::targetId, Edge::type,
        e -> json(e.properties())));
    String conflict = replace
        ? " on conflict (tenant_id, source_id, target_id, type) do update set properties = excluded.properties"
        : " on conflict (tenant_id, source_id, target_id, type) do nothing";
    return upsert(c, UPSERT_EDGES + conflict, tenant, cols);
  }

  /** The rows as one array per column, in the order of {@code fields}: the parameters of an unnest. */
  private static <T> String[][] columns(Collection<T> rows, List<Function<T, String>> fields) {
    String[][] cols = new String[fields.size()][rows.size()];
    int i = 0;
    for (T row : rows) {
      for (int k = 0; k < cols.length; k++) {
        cols[k][i] = fields.get(k).apply(row);
      }
      i++;
    }
    return cols;
  }

  /** Runs a bulk upsert; {@code xmax = 0} tells a row this statement inserted from one it updated. */
  private static Ingested upsert(Connection c, String sql, UUID tenant, String[][] cols) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql + " returning (xmax = 0)")) {
      st.setObject(1, tenant);
      for (int k = 0; k < cols.length; k++) {
        Array a = c.createArrayOf("text", cols[k]);
        st.setArray(k + 2, a);
      }
      int created = 0;
      int updated = 0;
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          if (rs.getBoolean(1)) {
            created++;
          } else {
            updated++;
          }
        }
      }
      return new Ingested(cols[0].length, created, updated);
    }
  }

  /** The ids among {@code ids} that name no node (of this tenant: others' are invisible). */
  public List<String> missingNodes(Connection c, Collection<String> ids) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("select x from unnest(?::text[]) as x"
        + " where not exists (select 1 from nodes n where n.id = x) order by x")) {
      st.setArray(1, c.createArrayOf("text", ids.toArray(String[]::new)));
      List<String> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  public Optional<Node> node(Connection c, String id) throws SQLException {
    return Sql.one(c, "select " + NODE_COLUMNS + " from nodes n where n.id = ?", GraphRepository::node, id);
  }

  /** The nodes of these ids that exist, in no particular order. */
  public List<Node> nodes(Connection c, Collection<String> ids) throws SQLException {
    return Sql.list(c, "select " + NODE_COLUMNS + " from nodes n where n.id = any (?)", GraphRepository::node,
        c.createArrayOf("text", ids.toArray(String[]::new)));
  }

  /** Up to {@code limit} nodes of a type with ids after {@code after} (null: from the first), by id. */
  public List<Node> nodesOfType(Connection c, String type, String after, int limit) throws SQLException {
    return Sql.list(c, "select " + NODE_COLUMNS + " from nodes n where n.type = ? and (?::text is null"
        + " or n.id > ?) order by n.id limit ?", GraphRepository::node, type, after, after, limit);
  }

  /**
   * A page of the nodes matching {@code filter}, and how many match in all. The total of a list filtered by type,
   * provider, region and account alone is a sum over {@code node_counts} (kept by triggers, see V7), the same
   * conditions applying to its columns; search and tags need the rows themselves counted.
   */
  public Map.Entry<List<Node>, Long> nodes(Connection c, NodeFilter filter, int limit, int offset)
      throws SQLException {
    StringBuilder where = new StringBuilder(" where true");
    List<Object> params = new ArrayList<>();
    if (!filter.types().isEmpty()) {
      where.append(" and n.type = any (?)");
      params.add(c.createArrayOf("text", filter.types().toArray(String[]::new)));
    }
    condition(where, params, " and n.provider = ?", filter.provider());
    condition(where, params, " and n.region = ?", filter.region());
    condition(where, params, " and n.account_id = ?", filter.accountId());
    String counted = filter.search().isPresent() || !filter.tags().isEmpty() ? "select count(*) from nodes n"
        : "select coalesce(sum(n.nodes), 0)::bigint from node_counts n";
    if (filter.search().isPresent()) {
      String pattern = Sql.containing(filter.search().get());
      where.append(" and (n.id ilike ? or n.name ilike ?)");
      params.add(pattern);
      params.add(pattern);
    }
    if (!filter.tags().isEmpty()) {
      where.append(" and n.tags @> ?::jsonb");
      params.add(json(filter.tags()));
    }
    String column = SORT_COLUMNS.get(filter.sort());
    return Sql.page(c, NODE_COLUMNS, "nodes n", counted, where, params, column == null ? null : "n." + column, "n.id",
        filter.descending(), GraphRepository::node, limit, offset);
  }

  private static void condition(StringBuilder where, List<Object> params, String sql, Optional<String> value) {
    value.ifPresent(v -> {
      where.append(sql);
      params.add(v);
    });
  }

  /**
   * Edges after {@code after} in id order (the cursor), at most {@code limit}, filtered by whichever of source,
   * target and type are given.
   */
  public List<Edge> edges(Connection c, Optional<String> source, Optional<String> target, Optional<String> type,
      Optional<UUID> after, int limit) throws SQLException {
    StringBuilder where = new StringBuilder(" where true");
    List<Object> params = new ArrayList<>();
    condition(where, params, " and e.source_id = ?", source);
    condition(where, params, " and e.target_id = ?", target);
    condition(where, params, " and e.type = ?", type);
    after.ifPresent(a -> {
      where.append(" and e.id > ?");
      params.add(a);
    });
    params.add(limit);
    return Sql.list(c, "select " + EDGE_COLUMNS + " from edges e" + where + " order by e.id limit ?",
        GraphRepository::edge, params.toArray());
  }

  public Optional<Edge> edge(Connection c, String source, String target, String type) throws SQLException {
    return Sql.one(c, "select " + EDGE_COLUMNS + " from edges e where e.source_id = ? and e.target_id = ?"
        + " and e.type = ?", GraphRepository::edge, source, target, type);
  }

  /**
   * The node's neighbours through edges of {@code type} (or any), leaving it ({@code out}), entering it
   * ({@code in}) or both, ordered by edge id; and how many there are.
   */
  public Map.Entry<List<Neighbor>, Long> neighbors(Connection c, String id, boolean out, boolean in,
      Optional<String> type, int limit, int offset) throws SQLException {
    List<String> parts = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    String typed = type.isPresent() ? " and e.type = ?" : "";
    if (out) {
      parts.add("select 'out' as direction, " + EDGE_COLUMNS + ", " + NODE_COLUMNS + " from edges e join nodes n"
          + " on n.tenant_id = e.tenant_id and n.id = e.target_id where e.source_id = ?" + typed);
      params.add(id);
      type.ifPresent(params::add);
    }
    if (in) {
      parts.add("select 'in' as direction, " + EDGE_COLUMNS + ", " + NODE_COLUMNS + " from edges e join nodes n"
          + " on n.tenant_id = e.tenant_id and n.id = e.source_id where e.target_id = ?" + typed);
      params.add(id);
      type.ifPresent(params::add);
    }
    String union = String.join(" union all ", parts);
    long total = Sql.one(c, "select count(*) from (" + union + ") x", rs -> rs.getLong(1), params.toArray())
        .orElse(0L);
    params.add(limit);
    params.add(offset);
    List<Neighbor> page = Sql.list(c, union + " order by 2, 1 limit ? offset ?",
        rs -> new Neighbor(rs.getString(1), edge(rs, 1), node(rs, 7)), params.toArray());
    return Map.entry(page, total);
  }

  /** Counts of nodes and edges, in all and by type, provider and region. */
  public Map<String, Object> summary(Connection c) throws SQLException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("nodes", Sql.one(c, "select count(*) from nodes", rs -> rs.getLong(1)).orElse(0L));
    out.put("edges", Sql.one(c, "select count(*) from edges", rs -> rs.getLong(1)).orElse(0L));
    out.put("nodes_by_type", counts(c, "select type, count(*) from nodes group by 1 order by 1"));
    out.put("nodes_by_provider", counts(c, "select provider, count(*) from nodes group by 1 order by 1"));
    out.put("nodes_by_region", counts(c, "select region, count(*) from nodes group by 1 order by 1"));
    out.put("edges_by_type", counts(c, "select type, count(*) from edges group by 1 order by 1"));
    return out;
  }

  private static Map<String, Long> counts(Connection c, String sql) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : Sql.list(c, sql, rs -> Map.entry(rs.getString(1), rs.getLong(2)))) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  private static Node node(ResultSet rs) throws SQLException {
    return node(rs, 0);
  }

  /** A node from the row's {@link #NODE_COLUMNS}, which start after column {@code before}. */
  private static Node node(ResultSet rs, int before) throws SQLException {
    try {
      return new Node(rs.getString(before + 1), rs.getString(before + 2), rs.getString(before + 3),
          rs.getString(before + 4), rs.getString(before + 5), rs.getString(before + 6),
          (ObjectNode) JSON.readTree(rs.getString(before + 7)), JSON.readValue(rs.getString(before + 8), TAGS),
          rs.getTimestamp(before + 9).toInstant());
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable node JSON", e);
    }
  }

  private static Edge edge(ResultSet rs) throws SQLException {
    return edge(rs, 0);
  }

  /** An edge from the row's {@link #EDGE_COLUMNS}, which start after column {@code before}. */
  private static Edge edge(ResultSet rs, int before) throws SQLException {
    try {
      return new Edge(rs.getObject(before + 1, UUID.class), rs.getString(before + 2), rs.getString(before + 3),
          rs.getString(before + 4), (ObjectNode) JSON.readTree(rs.getString(before + 5)),
          rs.getTimestamp(before + 6).toInstant());
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable edge JSON", e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serialisable as JSON", e);
    }
  }
}
