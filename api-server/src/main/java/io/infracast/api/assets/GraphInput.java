package io.infracast.api.assets;

import io.infracast.api.platform.http.JsonBody;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;

/**
 * Nodes and edges from their JSON, with the API's checks and 400s: the request bodies of the graph routes and
 * the lines discovery plugins write read them the same way.
 */
public final class GraphInput {
  public static final Set<String> NODE_FIELDS = Set.of("id", "type", "provider", "region", "account_id", "name",
      "properties", "tags", "discovered_at");
  public static final Set<String> EDGE_FIELDS = Set.of("source_id", "target_id", "type", "properties");

  private GraphInput() {}

  /**
   * A node from its JSON. The id carries provider, region and type ({@code aws:us-east-1:aws.ec2.instance:i-0abc});
   * the separate fields may be left out and, when given, must agree with it.
   */
  public static Node node(JsonBody body) {
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

  /** An edge from its JSON; its id is made here and kept only if the edge is new. */
  public static Edge edge(JsonBody body) {
    return new Edge(UUID.randomUUID(), body.requiredString("source_id"), body.requiredString("target_id"),
        body.requiredString("type"), body.optionalObject("properties"), null);
  }

  private static String agreeing(JsonBody body, String field, String fromId) {
    body.optionalString(field).filter(v -> !v.equals(fromId)).ifPresent(v -> {
      throw body.invalid(field, "is '" + abbreviate(v) + "' but the id says '" + fromId + "'");
    });
    return fromId;
  }

  static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }
}
