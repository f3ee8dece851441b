package io.infracast.api.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request's JSON object body, read field by field with specific 400s: not JSON, not an object, a field
 * missing, of the wrong type, or unknown.
 */
public final class JsonBody {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonNode node;

  private JsonBody(JsonNode node) {
    this.node = node;
  }

  /** Reads the body; only the {@code allowed} fields may appear. */
  public static JsonBody of(Context ctx, Set<String> allowed) {
    JsonNode node;
    try {
      node = MAPPER.readTree(ctx.body());
    } catch (JsonProcessingException e) {
      throw bad("request body is not valid JSON", null);
    }
    if (node == null || !node.isObject()) {
      throw bad("request body must be a JSON object", null);
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw bad("unknown field '" + name + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList())
            + ")", name);
      }
    }
    return new JsonBody(node);
  }

  public String requiredString(String field) {
    return optionalString(field).orElseThrow(() -> bad("field '" + field + "' is required", field));
  }

  public Optional<String> optionalString(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw bad("field '" + field + "' must be a string", field);
    }
    return Optional.of(v.asText());
  }

  private static ApiException bad(String message, String field) {
    return new ApiException(ErrorCode.BAD_REQUEST, message, field == null ? Map.of() : Map.of("field", field));
  }
}
