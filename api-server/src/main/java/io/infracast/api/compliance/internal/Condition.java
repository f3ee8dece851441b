package io.infracast.api.compliance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A rule's condition: a small tree of predicates on a node's fields, evaluated without any scripting. Parsed from
 * the pack's YAML (see the compliance section of the README for the language); every mistake is reported with its
 * place in the rule ({@code condition.all[1].any_item}).
 *
 * <ul>
 *   <li>{@code all: [...]}, {@code any: [...]}, {@code not: {...}} combine conditions;
 *   <li>{@code path: a.b.c} with exactly one operator tests the value there: {@code equals}, {@code not_equals}
 *       (true when the value is missing), {@code in}, {@code exists}, {@code contains} (an array element, or a
 *       substring), {@code contains_any} (an array holding any of a list), {@code is_empty}, {@code matches} (a
 *       whole-string regular expression), {@code greater_than}, {@code less_than}, and over arrays {@code any_item} and {@code all_items} (a condition on each element,
 *       whose paths start at the element; {@code all_items} is false for a missing or empty array).
 * </ul>
 */
public sealed interface Condition {
  int MAX_DEPTH = 12;
  int MAX_PATTERN_CHARS = 256;
  /** A regular expression may look at most this many characters per test: a pathological pattern stops there. */
  int MAX_REGEX_STEPS = 100_000;
  Set<String> OPERATORS = Set.of("equals", "not_equals", "in", "exists", "contains", "contains_any", "is_empty",
      "matches", "greater_than", "less_than", "any_item", "all_items");

  boolean test(JsonNode node);

  /** A condition in a pack that cannot be used; the message names where. */
  final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  record All(List<Condition> of) implements Condition {
    @Override
    public boolean test(JsonNode node) {
      return of.stream().allMatch(c -> c.test(node));
    }
  }

  record AnyOf(List<Condition> of) implements Condition {
    @Override
    public boolean test(JsonNode node) {
      return of.stream().anyMatch(c -> c.test(node));
    }
  }

  record Not(Condition of) implements Condition {
    @Override
    public boolean test(JsonNode node) {
      return !of.test(node);
    }
  }

  /** A test of the value at {@code path} (dot-separated field names). */
  record At(List<String> path, String operator, JsonNode operand, Pattern pattern, Condition item)
      implements Condition {
    @Override
    public boolean test(JsonNode node) {
      JsonNode at = node;
      for (String step : path) {
        at = at.path(step);
      }
      JsonNode v = at;
      boolean present = !v.isMissingNode() && !v.isNull();
      return switch (operator) {
        case "equals" -> present && same(v, operand);
        case "not_equals" -> !present || !same(v, operand);
        case "in" -> present && contains(operand, v);
        case "exists" -> present == operand.asBoolean();
        case "contains" -> v.isArray() ? contains(v, operand)
            : v.isTextual() && operand.isTextual() && v.asText().contains(operand.asText());
        case "contains_any" -> v.isArray() && stream(operand).anyMatch(o -> contains(v, o));
        case "is_empty" -> (!present || v.isEmpty() || (v.isTextual() && v.asText().isEmpty()))
            == operand.asBoolean();
        case "matches" -> v.isTextual() && matches(pattern, v.asText());
        case "greater_than" -> v.isNumber() && v.decimalValue().compareTo(operand.decimalValue()) > 0;
        case "less_than" -> v.isNumber() && v.decimalValue().compareTo(operand.decimalValue()) < 0;
        case "any_item" -> v.isArray() && stream(v).anyMatch(item::test);
        case "all_items" -> v.isArray() && !v.isEmpty() && stream(v).allMatch(item::test);
        default -> throw new IllegalStateException("operator " + operator + " passed parsing");
      };
    }
  }

  /** Parses a condition; {@code where} names it in messages ({@code rules[3].condition}). */
  static Condition parse(JsonNode c, String where) throws Invalid {
    return parse(c, where, 0);
  }

  private static Condition parse(JsonNode c, String where, int depth) throws Invalid {
    if (depth > MAX_DEPTH) {
      throw new Invalid(where + ": conditions nest deeper than " + MAX_DEPTH + " levels");
    }
    if (c == null || !c.isObject() || c.isEmpty()) {
      throw new Invalid(where + ": must be a mapping such as {path: properties.x, equals: true} or {all: [...]}");
    }
    List<String> keys = new ArrayList<>();
    c.fieldNames().forEachRemaining(keys::add);
    if (keys.size() == 1 && Set.of("all", "any", "not").contains(keys.get(0))) {
      String k = keys.get(0);
      if (k.equals("not")) {
        return new Not(parse(c.get(k), where + ".not", depth + 1));
      }
      JsonNode list = c.get(k);
      if (!list.isArray() || list.isEmpty()) {
        throw new Invalid(where + "." + k + ": must be a non-empty list of conditions");
      }
      List<Condition> of = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        of.add(parse(list.get(i), where + "." + k + "[" + i + "]", depth + 1));
      }
      return k.equals("all") ? new All(List.copyOf(of)) : new AnyOf(List.copyOf(of));
    }
    if (!keys.contains("path")) {
      throw new Invalid(where + ": has " + keys + "; expected all, any or not alone, or path with one operator");
    }
    List<String> operators = keys.stream().filter(k -> !k.equals("path")).toList();
    if (operators.size() != 1 || !OPERATORS.contains(operators.get(0))) {
      throw new Invalid(where + ": path needs exactly one operator of " + OPERATORS.stream().sorted().toList()
          + ", got " + operators);
    }
    String op = operators.get(0);
    JsonNode path = c.get("path");
    if (!path.isTextual() || !path.asText().matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
      throw new Invalid(where + ".path: must be dot-separated field names such as properties.host_network");
    }
    JsonNode operand = c.get(op);
    String at = where + "." + op;
    Pattern pattern = null;
    Condition item = null;
    switch (op) {
      case "exists", "is_empty" -> require(operand.isBoolean(), at, "must be true or false");
      case "in", "contains_any" -> require(operand.isArray() && !operand.isEmpty()
          && stream(operand).allMatch(JsonNode::isValueNode), at, "must be a non-empty list of values");
      case "greater_than", "less_than" -> require(operand.isNumber(), at, "must be a number");
      case "matches" -> {
        require(operand.isTextual() && operand.asText().length() <= MAX_PATTERN_CHARS, at,
            "must be a regular expression of at most " + MAX_PATTERN_CHARS + " characters");
        try {
          pattern = Pattern.compile(operand.asText());
        } catch (PatternSyntaxException e) {
          throw new Invalid(at + ": not a valid regular expression: " + e.getDescription());
        }
      }
      case "any_item", "all_items" -> item = parse(operand, at, depth + 1);
      default -> require(operand.isValueNode() && !operand.isNull(), at, "must be a string, number or boolean");
    }
    return new At(List.of(path.asText().split("\\.")), op, operand, pattern, item);
  }

  private static void require(boolean ok, String where, String problem) throws Invalid {
    if (!ok) {
      throw new Invalid(where + ": " + problem);
    }
  }

  private static boolean same(JsonNode a, JsonNode b) {
    return a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) == 0 : a.equals(b);
  }

  private static boolean contains(JsonNode array, JsonNode value) {
    return stream(array).anyMatch(e -> same(e, value));
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false);
  }

  /** Matches, giving up (no match) once the regex has read {@link #MAX_REGEX_STEPS} characters. */
  private static boolean matches(Pattern pattern, String value) {
    try {
      return pattern.matcher(new Bounded(value, new int[] {MAX_REGEX_STEPS})).matches();
    } catch (Bounded.Exhausted e) {
      return false;
    }
  }

  /** A string that refuses to be read past a budget: the regex engine reads through charAt. */
  record Bounded(String s, int[] budget) implements CharSequence {
    static final class Exhausted extends RuntimeException {
      Exhausted() {
        super(null, null, false, false);
      }
    }

    @Override
    public char charAt(int index) {
      if (--budget[0] < 0) {
        throw new Exhausted();
      }
      return s.charAt(index);
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Bounded(s.substring(start, end), budget);
    }

    @Override
    public String toString() {
      return s;
    }
  }

  /** Unused keys of a mapping, for strict parsing of the pack's other mappings. */
  static List<String> unknownKeys(JsonNode mapping, Set<String> allowed) {
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : mapping.properties()) {
      if (!allowed.contains(e.getKey())) {
        unknown.add(e.getKey());
      }
    }
    return unknown;
  }
}
