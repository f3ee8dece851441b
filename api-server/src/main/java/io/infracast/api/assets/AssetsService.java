package io.infracast.api.assets;

import io.infracast.api.assets.internal.GraphRepository;
import io.infracast.api.audit.AuditService;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.AuthContext;
import io.infracast.api.platform.security.Caller;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The asset graph domain's door: nodes, edges, neighbours, the summary, bulk ingest. Every call runs in one
 * tenant transaction of the caller's tenant (row-level security: another tenant's ids are simply not there, so
 * they answer 404 like ids that never existed), and every write is recorded in the audit log in that transaction.
 */
public final class AssetsService {
  /** The edge types of the product brief. */
  public static final Set<String> EDGE_TYPES = Set.of("contains", "attached_to", "depends_on", "executes_as",
      "encrypted_by", "logs_to", "member_of", "routes_to");
  /** The fields a node list can be sorted by ({@code sort=field} or {@code sort=-field}). */
  public static final Set<String> NODE_SORT_FIELDS = GraphRepository.SORT_COLUMNS.keySet();
  /** At most this many nodes or edges in one bulk request, and ids in one bulk query. */
  public static final int MAX_BULK = 5_000;
  /** How many missing node ids an error names. */
  private static final int MAX_NAMED = 20;

  private final Transactions transactions;
  private final AuditService audit;
  private final GraphRepository repository = new GraphRepository();

  public AssetsService(Transactions transactions, AuditService audit) {
    this.transactions = transactions;
    this.audit = audit;
  }

  public Map<String, Object> listNodes(AuthContext auth, NodeFilter filter, Page page) {
    if (!NODE_SORT_FIELDS.contains(filter.sort())) {
      throw unknownSort(filter.sort());
    }
    return transactions.inTenant(auth.tenantId(), c -> {
      Map.Entry<List<Node>, Long> found = repository.nodes(c, filter, page.perPage(), page.offset());
      return page.body(found.getKey(), found.getValue());
    });
  }

  public Node node(AuthContext auth, String id) {
    return transactions.inTenant(auth.tenantId(), c -> repository.node(c, id)).orElseThrow(() -> nodeNotFound(id));
  }

  /**
   * For other domains' background work (compliance evaluation), without a caller: up to {@code limit} nodes of
   * the tenant of {@code type}, with ids after {@code afterId} (null: from the first), in id order. The last id of
   * a page is the next call's {@code afterId}, so nodes added meanwhile never shift the pages to come.
   */
  public List<Node> nodesOfType(UUID tenantId, String type, String afterId, int limit) {
    return transactions.inTenant(tenantId, c -> repository.nodesOfType(c, type, afterId, limit));
  }

  /** The nodes of {@code ids} that exist, in the order asked, and the ids that name none. */
  public Map<String, Object> queryNodes(AuthContext auth, List<String> ids) {
    Set<String> unique = new LinkedHashSet<>(ids);
    Map<String, Node> found = transactions.inTenant(auth.tenantId(), c -> repository.nodes(c, unique)).stream()
        .collect(Collectors.toMap(Node::id, Function.identity()));
    List<Node> items = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    for (String id : unique) {
      if (found.containsKey(id)) {
        items.add(found.get(id));
      } else {
        notFound.add(id);
      }
    }
    return Map.of("items", items, "not_found", notFound);
  }

  /** Creates one node; 409 when the tenant has a node of that id already. */
  public Node createNode(AuthContext auth, Node node) {
    return transactions.inTenant(auth.tenantId(), c -> {
      if (repository.upsertNodes(c, auth.tenantId(), List.of(node), false).created() == 0) {
        throw new ApiException(ErrorCode.CONFLICT, "node " + node.id() + " already exists", Map.of("id", node.id()));
      }
      audit.record(c, auth.caller(), auth.tenantId(), "node.created", "node", node.id(), Map.of("type", node.type()));
      return repository.node(c, node.id()).orElseThrow();
    });
  }

  /** Inserts new nodes and replaces existing ones, in one statement; a later duplicate id in the list wins. */
  public Ingested upsertNodes(AuthContext auth, List<Node> nodes) {
    return upsertNodes(auth.tenantId(), auth.caller(), Map.of(), nodes);
  }

  /**
   * A discovery job's nodes, as {@link #upsertNodes(AuthContext, List)}; audited as the service's own write, naming
   * the job.
   */
  public Ingested ingestNodes(UUID tenant, UUID jobId, List<Node> nodes) {
    return upsertNodes(tenant, null, Map.of("job_id", jobId.toString()), nodes);
  }

  private Ingested upsertNodes(UUID tenant, Caller actor, Map<String, Object> about, List<Node> nodes) {
    Map<String, Node> unique = new LinkedHashMap<>();
    nodes.forEach(n -> unique.put(n.id(), n));
    return transactions.inTenant(tenant, c -> {
      Ingested done = repository.upsertNodes(c, tenant, unique.values(), true);
      audit.record(c, actor, tenant, "nodes.upserted", "node", null, counts(done, about));
      return done;
    });
  }

  /**
   * A page of the node's neighbours.
   *
   * @param direction {@code out} (edges leaving the node), {@code in} or {@code both}
   */
  public Map<String, Object> neighbors(AuthContext auth, String id, String direction, Optional<String> type,
      Page page) {
    if (!Set.of("out", "in", "both").contains(direction)) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "direction must be out, in or both",
          Map.of("parameter", "direction"));
    }
    type.ifPresent(AssetsService::checkEdgeType);
    return transactions.inTenant(auth.tenantId(), c -> {
      repository.node(c, id).orElseThrow(() -> nodeNotFound(id));
      Map.Entry<List<Neighbor>, Long> found = repository.neighbors(c, id, !direction.equals("in"),
          !direction.equals("out"), type, page.perPage(), page.offset());
      return page.body(found.getKey(), found.getValue());
    });
  }

  /**
   * Edges in a stable order (by id), {@code limit} at a time: {@code {"items":[...],"limit":K,"next_cursor":...}}
   * where {@code next_cursor} (null on the last page) continues after the page's last edge, so edges added or
   * removed meanwhile never shift the pages still to come.
   */
  public Map<String, Object> listEdges(AuthContext auth, Optional<String> source, Optional<String> target,
      Optional<String> type, Optional<String> cursor, int limit) {
    type.ifPresent(AssetsService::checkEdgeType);
    Optional<UUID> after = cursor.map(AssetsService::decodeCursor);
    List<Edge> found = transactions.inTenant(auth.tenantId(),
        c -> repository.edges(c, source, target, type, after, limit + 1));
    List<Edge> items = found.size() > limit ? found.subList(0, limit) : found;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items);
    body.put("limit", limit);
    body.put("next_cursor", found.size() > limit ? encodeCursor(items.get(limit - 1).id()) : null);
    return body;
  }

  /** Creates one edge; 404 when an end is not a node of the tenant, 409 when the same edge exists. */
  public Edge createEdge(AuthContext auth, Edge edge) {
    checkEdgeType(edge.type());
    return transactions.inTenant(auth.tenantId(), c -> {
      checkEndsExist(c, List.of(edge));
      if (repository.upsertEdges(c, auth.tenantId(), List.of(edge), false).created() == 0) {
        throw new ApiException(ErrorCode.CONFLICT, "a " + edge.type() + " edge from " + edge.sourceId() + " to "
            + edge.targetId() + " already exists");
      }
      Edge created = repository.edge(c, edge.sourceId(), edge.targetId(), edge.type()).orElseThrow();
      audit.record(c, auth.caller(), auth.tenantId(), "edge.created", "edge", created.id().toString(),
          Map.of("source_id", edge.sourceId(), "target_id", edge.targetId(), "type", edge.type()));
      return created;
    });
  }

  /**
   * Inserts edges and replaces the properties of existing ones (same source, target and type), in one statement;
   * 404 naming the missing nodes when an end is not a node of the tenant (nothing is written then).
   */
  public Ingested upsertEdges(AuthContext auth, List<Edge> edges) {
    return upsertEdges(auth.tenantId(), auth.caller(), Map.of(), edges);
  }

  /** A discovery job's edges, as {@link #upsertEdges(AuthContext, List)}; audited as the service's own write. */
  public Ingested ingestEdges(UUID tenant, UUID jobId, List<Edge> edges) {
    return upsertEdges(tenant, null, Map.of("job_id", jobId.toString()), edges);
  }

  private Ingested upsertEdges(UUID tenant, Caller actor, Map<String, Object> about, List<Edge> edges) {
    Map<List<String>, Edge> unique = new LinkedHashMap<>();
    for (Edge e : edges) {
      checkEdgeType(e.type());
      unique.put(List.of(e.sourceId(), e.targetId(), e.type()), e);
    }
    return transactions.inTenant(tenant, c -> {
      checkEndsExist(c, unique.values());
      Ingested done = repository.upsertEdges(c, tenant, unique.values(), true);
      audit.record(c, actor, tenant, "edges.upserted", "edge", null, counts(done, about));
      return done;
    });
  }

  public Map<String, Object> summary(AuthContext auth) {
    return transactions.inTenant(auth.tenantId(), repository::summary);
  }

  private void checkEndsExist(Connection c, Collection<Edge> edges) throws SQLException {
    Set<String> ends = new LinkedHashSet<>();
    edges.forEach(e -> {
      ends.add(e.sourceId());
      ends.add(e.targetId());
    });
    List<String> missing = repository.missingNodes(c, ends);
    if (!missing.isEmpty()) {
      List<String> named = missing.subList(0, Math.min(MAX_NAMED, missing.size()));
      throw new ApiException(ErrorCode.NOT_FOUND, (missing.size() == 1 ? "node " : missing.size() + " nodes ")
          + "not found: " + String.join(", ", named) + (missing.size() > MAX_NAMED ? ", ..." : ""),
          Map.of("missing", named, "missing_count", missing.size()));
    }
  }

  private static Map<String, Object> counts(Ingested done, Map<String, Object> about) {
    Map<String, Object> details = new LinkedHashMap<>(about);
    details.putAll(Map.of("received", done.received(), "created", done.created(), "updated", done.updated()));
    return details;
  }

  private static void checkEdgeType(String type) {
    if (!EDGE_TYPES.contains(type)) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "edge type must be one of "
          + String.join(", ", EDGE_TYPES.stream().sorted().toList()), Map.of("field", "type"));
    }
  }

  private static ApiException unknownSort(String field) {
    return new ApiException(ErrorCode.BAD_REQUEST, "cannot sort by '" + field + "': sort by one of "
        + String.join(", ", NODE_SORT_FIELDS.stream().sorted().toList()) + " (prefix - for descending)",
        Map.of("parameter", "sort", "reason", "unknown_sort_field",
            "allowed", NODE_SORT_FIELDS.stream().sorted().toList()));
  }

  private static ApiException nodeNotFound(String id) {
    return ApiException.notFound("node " + id + " not found");
  }

  private static String encodeCursor(UUID after) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(after.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static UUID decodeCursor(String cursor) {
    try {
      return UUID.fromString(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "cursor is not one this API returned",
          Map.of("parameter", "cursor", "reason", "invalid_cursor"));
    }
  }
}
