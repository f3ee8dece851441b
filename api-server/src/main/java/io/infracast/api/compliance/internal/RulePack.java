package io.infracast.api.compliance.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.infracast.api.compliance.Finding;
import io.infracast.api.compliance.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A parsed rule pack: {@code pack} (its id), optional {@code title}, and {@code rules}, each with {@code id},
 * {@code title}, {@code severity}, optional {@code risk_score} (0-100; the severity's default otherwise),
 * {@code frameworks} ({@code [{framework, control}]}, at least one), {@code node_types}, {@code condition} (see
 * {@link Condition}) and {@code remediation}. Parsing is strict: an unknown key, a missing field or a bad value
 * rejects the whole pack with a message naming the place.
 */
public record RulePack(String id, List<Rule> rules) {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
  private static final Set<String> PACK_KEYS = Set.of("pack", "title", "rules");
  private static final Set<String> RULE_KEYS = Set.of("id", "title", "severity", "risk_score", "frameworks",
      "node_types", "condition", "remediation");
  private static final Set<String> FRAMEWORK_KEYS = Set.of("framework", "control");

  /** A pack that cannot be used; the message says why and where. */
  public static final class Rejected extends Exception {
    Rejected(String message) {
      super(message, null, false, false);
    }
  }

  public static RulePack parse(String yaml) throws Rejected {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new Rejected("not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (root == null || !root.isObject()) {
      throw new Rejected("must be a mapping with pack and rules");
    }
    strict(root, PACK_KEYS, "the pack");
    String pack = text(root, "pack", "the pack");
    if (!pack.matches(ID)) {
      throw new Rejected("pack: '" + pack + "' is not an id (letters, digits, '.', '_', '-'; at most 64)");
    }
    JsonNode rules = root.path("rules");
    if (!rules.isArray() || rules.isEmpty()) {
      throw new Rejected("rules: must be a non-empty list");
    }
    List<Rule> parsed = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rule(rules.get(i), pack, "rules[" + i + "]");
      if (!ids.add(rule.id())) {
        throw new Rejected("rules[" + i + "]: id " + rule.id() + " appears twice in the pack");
      }
      parsed.add(rule);
    }
    return new RulePack(pack, List.copyOf(parsed));
  }

  private static Rule rule(JsonNode r, String pack, String index) throws Rejected {
    if (!r.isObject()) {
      throw new Rejected(index + ": must be a mapping");
    }
    strict(r, RULE_KEYS, index);
    String id = text(r, "id", index);
    if (!id.matches(ID)) {
      throw new Rejected(index + ".id: '" + id + "' is not an id (letters, digits, '.', '_', '-'; at most 64)");
    }
    String where = index + " (" + id + ")";
    String severityName = text(r, "severity", where);
    Severity severity = Arrays.stream(Severity.values()).filter(s -> s.name().equals(severityName)).findFirst()
        .orElseThrow(() -> new Rejected(where + ".severity: '" + severityName + "' is not one of "
            + Arrays.toString(Severity.values())));
    int risk = severity.defaultRiskScore();
    if (r.has("risk_score")) {
      JsonNode v = r.get("risk_score");
      if (!v.isInt() || v.asInt() < 0 || v.asInt() > 100) {
        throw new Rejected(where + ".risk_score: must be a whole number from 0 to 100");
      }
      risk = v.asInt();
    }
    List<Finding.Control> controls = new ArrayList<>();
    JsonNode frameworks = r.path("frameworks");
    if (!frameworks.isArray() || frameworks.isEmpty()) {
      throw new Rejected(where + ".frameworks: must be a non-empty list of {framework, control}");
    }
    for (int i = 0; i < frameworks.size(); i++) {
      String at = where + ".frameworks[" + i + "]";
      if (!frameworks.get(i).isObject()) {
        throw new Rejected(at + ": must be a mapping {framework, control}");
      }
      strict(frameworks.get(i), FRAMEWORK_KEYS, at);
      controls.add(new Finding.Control(text(frameworks.get(i), "framework", at),
          text(frameworks.get(i), "control", at)));
    }
    Set<String> types = new LinkedHashSet<>();
    JsonNode nodeTypes = r.path("node_types");
    if (!nodeTypes.isArray() || nodeTypes.isEmpty()) {
      throw new Rejected(where + ".node_types: must be a non-empty list of node types");
    }
    for (JsonNode t : nodeTypes) {
      if (!t.isTextual() || t.asText().isBlank()) {
        throw new Rejected(where + ".node_types: must hold node type names such as k8s.deployment");
      }
      types.add(t.asText());
    }
    Condition condition;
    try {
      condition = Condition.parse(r.get("condition"), where + ".condition");
    } catch (Condition.Invalid e) {
      throw new Rejected(e.getMessage());
    }
    return new Rule(id, pack, text(r, "title", where), severity, risk, List.copyOf(controls), Set.copyOf(types),
        condition, text(r, "remediation", where));
  }

  private static void strict(JsonNode mapping, Set<String> allowed, String where) throws Rejected {
    List<String> unknown = Condition.unknownKeys(mapping, allowed);
    if (!unknown.isEmpty()) {
      throw new Rejected(where + ": unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
          + " (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
    }
  }

  private static String text(JsonNode mapping, String field, String where) throws Rejected {
    JsonNode v = mapping.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new Rejected(where + "." + field + ": required text");
    }
    return v.asText().strip();
  }
}
