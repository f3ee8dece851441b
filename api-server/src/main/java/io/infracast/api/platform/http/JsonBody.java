package io.infracast.api.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request's JSON object body, read field by field with specific 400s: not JSON, not an object, a field
 * missing, of the wrong type, or unknown. Objects nested in arrays ({@link #objects}) are read the same way, their
 * messages and {@code details.field} naming the element ({@code nodes[3].id}).
 */
public final class JsonBody {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonNode node;
  /** Where this object sits in the body, {@code ""} for the body itself, else {@code "nodes[3]."}. */
  private final String at;

  private JsonBody(JsonNode node, String at) {
    this.node = node;
    this.at = at;
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
    return checked(node, "", allowed);
  }

  /** Reads an object parsed elsewhere (a plugin's output line); only the {@code allowed} fields may appear. */
  public static JsonBody of(ObjectNode object, Set<String> allowed) {
    return checked(object, "", allowed);
  }

  private static JsonBody checked(JsonNode node, String at, Set<String> allowed) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw bad("unknown field '" + at + name + "' (allowed: "
            + String.join(", ", allowed.stream().sorted().toList()) + ")", at + name);
      }
    }
    return new JsonBody(node, at);
  }

  public String requiredString(String field) {
    return optionalString(field).orElseThrow(() -> missing(field));
  }

  public Optional<String> optionalString(String field) {
    return value(field).map(v -> {
      if (!v.isTextual()) {
        throw wrongType(field, "a string");
      }
      return v.asText();
    });
  }

  public Optional<Boolean> optionalBoolean(String field) {
    return value(field).map(v -> {
      if (!v.isBoolean()) {
        throw wrongType(field, "true or false");
      }
      return v.asBoolean();
    });
  }

  /** A JSON object of any content ({@code {}} when absent). */
  public ObjectNode optionalObject(String field) {
    return value(field).map(v -> {
      if (!v.isObject()) {
        throw wrongType(field, "an object");
      }
      return (ObjectNode) v;
    }).orElseGet(MAPPER::createObjectNode);
  }

  /** A required nested object allowing only the {@code allowed} fields; its messages name {@code field.x}. */
  public JsonBody requiredObject(String field, Set<String> allowed) {
    JsonNode v = value(field).orElseThrow(() -> missing(field));
    if (!v.isObject()) {
      throw wrongType(field, "an object");
    }
    return checked(v, at + field + ".", allowed);
  }

  /** An optional whole number from {@code min} to {@code max}. */
  public Optional<Integer> optionalInt(String field, int min, int max) {
    return value(field).map(v -> {
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
        throw bad("field '" + at + field + "' must be a whole number from " + min + " to " + max, at + field);
      }
      return v.asInt();
    });
  }

  /** An object whose values are all strings ({@code {}} when absent). */
  public Map<String, String> optionalStringMap(String field) {
    Map<String, String> out = new LinkedHashMap<>();
    optionalObject(field).properties().forEach(e -> {
      if (!e.getValue().isTextual()) {
        throw bad("field '" + at + field + "." + e.getKey() + "' must be a string", at + field);
      }
      out.put(e.getKey(), e.getValue().asText());
    });
    return out;
  }

  /** An ISO-8601 instant ({@code 2025-01-31T12:00:00Z}). */
  public Optional<Instant> optionalInstant(String field) {
    return optionalString(field).map(s -> {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw bad("field '" + at + field + "' must be an ISO-8601 time such as 2025-01-31T12:00:00Z", at + field);
      }
    });
  }

  /** A required array of strings, of 1 to {@code max} elements. */
  public List<String> requiredStrings(String field, int max) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : array(field, max)) {
      if (!v.isTextual()) {
        throw bad("field '" + at + field + "' must be an array of strings", at + field);
      }
      out.add(v.asText());
    }
    return out;
  }

  /** A required array of 1 to {@code max} objects, each allowing only the {@code allowed} fields. */
  public List<JsonBody> objects(String field, int max, Set<String> allowed) {
    List<JsonBody> out = new ArrayList<>();
    for (JsonNode v : array(field, max)) {
      String element = at + field + "[" + out.size() + "]";
      if (!v.isObject()) {
        throw bad("'" + element + "' must be an object", element);
      }
      out.add(checked(v, element + ".", allowed));
    }
    return out;
  }

  private JsonNode array(String field, int max) {
    JsonNode v = value(field).orElseThrow(() -> missing(field));
    if (!v.isArray()) {
      throw wrongType(field, "an array");
    }
    if (v.isEmpty() || v.size() > max) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "field '" + at + field + "' must hold 1 to " + max
          + " elements, got " + v.size(), Map.of("field", at + field, "reason", v.isEmpty() ? "empty_array" : "too_many_items", "max", max));
    }
    return v;
  }

  /** A 400 about one field of this object, for checks the caller makes on a value it read. */
  public ApiException invalid(String field, String problem) {
    return bad("field '" + at + field + "' " + problem, at + field);
  }

  private Optional<JsonNode> value(String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  private ApiException missing(String field) {
    return bad("field '" + at + field + "' is required", at + field);
  }

  private ApiException wrongType(String field, String what) {
    return bad("field '" + at + field + "' must be " + what, at + field);
  }

  private static ApiException bad(String message, String field) {
    return new ApiException(ErrorCode.BAD_REQUEST, message, field == null ? Map.of() : Map.of("field", field));
  }
}
