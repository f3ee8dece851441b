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

/**
 * The asset graph's routes under {@code /api/v1/tenants/{tenant}}: nodes (list, get, create, bulk upsert, bulk
 * query, neighbours), edges (list with a cursor, create, bulk upsert) and the graph summary. Turns requests into
 * the service's types with specific 400s; see {@link Permission} for who may call which.
 */
public final class AssetsModule implements ApiModule {
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
    secured.add(Permission.NODES_CREATE, (ctx, auth) -> ctx.status(201).json(service.createNode(auth,
        GraphInput.node(JsonBody.of(ctx, GraphInput.NODE_FIELDS)))));
    secured.add(Permission.NODES_BULK_UPSERT, (ctx, auth) -> ctx.json(service.upsertNodes(auth,
        JsonBody.of(ctx, Set.of("nodes")).objects("nodes", AssetsService.MAX_BULK, GraphInput.NODE_FIELDS).stream()
            .map(GraphInput::node).toList())));
    secured.add(Permission.NODES_QUERY, (ctx, auth) -> ctx.json(service.queryNodes(auth,
        JsonBody.of(ctx, Set.of("ids")).requiredStrings("ids", AssetsService.MAX_BULK))));
    secured.add(Permission.NODE_GET, (ctx, auth) -> ctx.json(service.node(auth, ctx.pathParam("node_id"))));
    secured.add(Permission.NODE_NEIGHBORS, (ctx, auth) -> ctx.json(service.neighbors(auth,
        ctx.pathParam("node_id"), Optional.ofNullable(ctx.queryParam("direction")).orElse("both"),
        filter(ctx, "type"), Page.of(ctx))));
    secured.add(Permission.EDGES_LIST, (ctx, auth) -> ctx.json(service.listEdges(auth, filter(ctx, "source_id"),
        filter(ctx, "target_id"), filter(ctx, "type"), filter(ctx, "cursor"), Page.size(ctx, "limit"))));
    secured.add(Permission.EDGES_CREATE, (ctx, auth) -> ctx.status(201).json(service.createEdge(auth,
        GraphInput.edge(JsonBody.of(ctx, GraphInput.EDGE_FIELDS)))));
    secured.add(Permission.EDGES_BULK_UPSERT, (ctx, auth) -> ctx.json(service.upsertEdges(auth,
        JsonBody.of(ctx, Set.of("edges")).objects("edges", AssetsService.MAX_BULK, GraphInput.EDGE_FIELDS).stream()
            .map(GraphInput::edge).toList())));
    secured.add(Permission.GRAPH_SUMMARY, (ctx, auth) -> ctx.json(service.summary(auth)));
  }

  private static NodeFilter nodeFilter(Context ctx) {
    List<String> types = filter(ctx, "types").map(t -> Arrays.stream(t.split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    Map<String, String> tags = new LinkedHashMap<>();
    for (String pair : ctx.queryParams("tags")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw badParameter("tags", "tags must be key=value, got '" + GraphInput.abbreviate(pair) + "'");
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
}
