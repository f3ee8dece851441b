package io.infracast.api.assets;

import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ApiModule;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.JsonBody;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.Authenticator;
import io.infracast.api.platform.security.Permission;
import io.infracast.api.platform.security.SecuredRoutes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The asset graph's routes under {@code /api/v1/tenants/{tenant}}: nodes (list, get, create, bulk upsert, bulk
 * query, neighbours), edges (list with a cursor, create, bulk upsert) and the graph summary. Turns requests into
 * the service's types with specific 400s; see {@link Permission} for who may call which.
 */
public final class AssetsModule implements ApiModule {
  private static final Set<String> NODE_FIELDS = Set.of("id", "type", "provider", "region", "account_id", "name",
      "properties", "tags", "discovered_at");
  private static final Set<String> EDGE_FIELDS = Set.of("source_id", "target_id", "type", "properties");
  /** Longest filter value and most {@code types}/{@code tags} a list accepts. */
  private static final int MAX_FILTER_CHARS = 1024;
  private static final int MAX_FILTER_VALUES = 50;

  private final AssetsService service;
  private final Authenticator authenticator;

  public AssetsModule(AssetsService service, Authenticator authenticator) {
    this.service = service;
    this.authenticator = authenticator;
  }

  @Override
  public void register(RoutesConfig routes) {
    SecuredRoutes secured = new SecuredRoutes(routes, authenticator);
    secured.add(Permission.NODES_LIST, (ctx, auth) -> ctx.json(service.listNodes(auth, nodeFilter(ctx),
        Page.of(ctx))));
    secured.add(Permission.NODES_CREATE, (ctx, auth) ->
        ctx.status(201).json(service.createNode(auth, node(JsonBody.of(ctx, NODE_FIELDS)))));
    secured.add(Permission.NODES_BULK_UPSERT, (ctx, auth) -> ctx.json(service.upsertNodes(auth,
        JsonBody.of(ctx, Set.of("nodes")).objects("nodes", AssetsService.MAX_BULK, NODE_FIELDS).stream()
            .map(AssetsModule::node).toList())));
    secured.add(Permission.NODES_QUERY, (ctx, auth) -> ctx.json(service.queryNodes(auth,
        JsonBody.of(ctx, Set.of("ids")).requiredStrings("ids", AssetsService.MAX_BULK))));
    secured.add(Permission.NODE_GET, (ctx, auth) -> ctx.json(service.node(auth, ctx.pathParam("node_id"))));
    secured.add(Permission.NODE_NEIGHBORS, (ctx, auth) -> ctx.json(service.neighbors(auth,
        ctx.pathParam("node_id"), Optional.ofNullable(ctx.queryParam("direction")).orElse("both"),
        filter(ctx, "type"), Page.of(ctx))));
    secured.add(Permission.EDGES_LIST, (ctx, auth) -> ctx.json(service.listEdges(auth, filter(ctx, "source_id"),
        filter(ctx, "target_id"), filter(ctx, "type"), filter(ctx, "cursor"), Page.size(ctx, "limit"))));
    secured.add(Permission.EDGES_CREATE, (ctx, auth) ->
        ctx.status(201).json(service.createEdge(auth, edge(JsonBody.of(ctx, EDGE_FIELDS)))));
    secured.add(Permission.EDGES_BULK_UPSERT, (ctx, auth) -> ctx.json(service.upsertEdges(auth,
        JsonBody.of(ctx, Set.of("edges")).objects("edges", AssetsService.MAX_BULK, EDGE_FIELDS).stream()
            .map(AssetsModule::edge).toList())));
    secured.add(Permission.GRAPH_SUMMARY, (ctx, auth) -> ctx.json(service.summary(auth)));
  }

  /**
   * A node from its JSON. The id carries provider, region and type ({@code aws:us-east-1:aws.ec2.instance:i-0abc});
   * the separate fields may be left out and, when given, must agree with it.
   */
  private static Node node(JsonBody body) {
    String id = body.requiredString("id");
    String[] parts = id.split(":", 4);
    if (id.length() > 1024 || parts.length < 4 || Arrays.stream(parts).anyMatch(String::isEmpty)) {
      throw body.invalid("id", "must be <provider>:<region>:<type>:<resource-id> (at most 1024 characters), got '"
          + abbreviate(id) + "'");
    }
    return new Node(id, agreeing(body, "type", parts[2]), agreeing(body, "provider", parts[0]),
        agreeing(body, "region", parts[1]), body.optionalString("account_id").orElse(null),
        body.optionalString("name").orElse(null), body.optionalObject("properties"),
        body.optionalStringMap("tags"), body.optionalInstant("discovered_at").orElse(null));
  }

  private static String agreeing(JsonBody body, String field, String fromId) {
    body.optionalString(field).filter(v -> !v.equals(fromId)).ifPresent(v -> {
      throw body.invalid(field, "is '" + abbreviate(v) + "' but the id says '" + fromId + "'");
    });
    return fromId;
  }

  /** An edge from its JSON; its id is made here and kept only if the edge is new. */
  private static Edge edge(JsonBody body) {
    return new Edge(UUID.randomUUID(), body.requiredString("source_id"), body.requiredString("target_id"),
        body.requiredString("type"), body.optionalObject("properties"), null);
  }

  private static NodeFilter nodeFilter(Context ctx) {
    List<String> types = filter(ctx, "types").map(t -> Arrays.stream(t.split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    Map<String, String> tags = new LinkedHashMap<>();
    for (String pair : ctx.queryParams("tags")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw badParameter("tags", "tags must be key=value, got '" + abbreviate(pair) + "'");
      }
      tags.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    if (types.size() > MAX_FILTER_VALUES || tags.size() > MAX_FILTER_VALUES) {
      throw badParameter(types.size() > MAX_FILTER_VALUES ? "types" : "tags", "at most " + MAX_FILTER_VALUES
          + " types and " + MAX_FILTER_VALUES + " tags per list");
    }
    String sort = Optional.ofNullable(ctx.queryParam("sort")).orElse("id");
    boolean descending = sort.startsWith("-");
    return new NodeFilter(types, filter(ctx, "provider"), filter(ctx, "region"), filter(ctx, "account_id"),
        filter(ctx, "search"), tags, descending ? sort.substring(1) : sort, descending);
  }

  /** A query parameter; empty when absent, 400 when longer than {@link #MAX_FILTER_CHARS}. */
  private static Optional<String> filter(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v != null && v.length() > MAX_FILTER_CHARS) {
      throw badParameter(name, name + " is longer than " + MAX_FILTER_CHARS + " characters");
    }
    return Optional.ofNullable(v);
  }

  private static ApiException badParameter(String name, String message) {
    return new ApiException(ErrorCode.BAD_REQUEST, message, Map.of("parameter", name));
  }

  private static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }
}
