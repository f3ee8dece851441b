package io.infracast.api.compliance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** Loading rule packs from a folder: a pack that cannot be used is rejected, saying why, and the previous stays. */
class RulePacksTest {
  private static final String GOOD = """
      pack: house
      rules:
        - id: H-1
          title: Red things
          severity: LOW
          frameworks: [{framework: House, control: H-1}]
          node_types: [thing]
          condition: {path: properties.color, equals: red}
          remediation: Paint it.
      """;

  @TempDir
  Path dir;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(RulePacks.class);

  @BeforeEach
  void capture() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logs);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not YAML              | 'pack: house\\nrules: [ {id: H-1' | not valid YAML
      an unknown key        | 'pack: house\\nowner: me\\nrules: []' | the pack: unknown key owner (allowed: pack, rules, title)
      a bad severity        | 'SEVERITY:URGENT' | rules[0] (H-1).severity: 'URGENT' is not one of [CRITICAL, HIGH, MEDIUM, LOW, INFO]
      an unknown operator   | 'OPERATOR:{path: properties.color, like: red}' | rules[0] (H-1).condition: path needs exactly one operator of
      two operators         | 'OPERATOR:{path: properties.color, equals: red, exists: true}' | got [equals, exists]
      a bad regex           | 'OPERATOR:{path: name, matches: \"(a\"}' | rules[0] (H-1).condition.matches: not a valid regular expression
      a built-in rule id    | 'ID:K8S-001' | rule id K8S-001 is already active in the built-in pack kubernetes-cis
      """)
  void aBadVersionIsRejectedAndThePreviousStaysActive(String what, String change, String reason) throws Exception {
    Path file = dir.resolve("house.yaml");
    Files.writeString(file, GOOD);
    try (RulePacks packs = new RulePacks(Optional.of(dir), Duration.ZERO)) {
      assertThat(ids(packs)).contains("H-1", "K8S-001");
      Files.writeString(file, bad(change));
      List<String> rejected = packs.reload();
      assertThat(rejected).singleElement().asString()
          .startsWith("rule pack " + file + " rejected: ").contains(reason)
          .endsWith("; its previous version (pack house, 1 rules) stays active");
      assertThat(ids(packs)).as(what + ": the previous version stays").contains("H-1");
      assertThat(logs.list).anyMatch(e -> e.getLevel() == Level.ERROR
          && e.getFormattedMessage().equals(rejected.get(0)));
      assertThat(packs.reload()).as("an unchanged rejected file is not reported again").isEmpty();
    }
  }

  private static String bad(String change) {
    if (change.startsWith("SEVERITY:")) {
      return GOOD.replace("severity: LOW", "severity: " + change.substring(9));
    }
    if (change.startsWith("OPERATOR:")) {
      return GOOD.replace("{path: properties.color, equals: red}", change.substring(9));
    }
    if (change.startsWith("ID:")) {
      return GOOD.replace("id: H-1", "id: " + change.substring(3));
    }
    return change.replace("\\n", "\n");
  }

  @Test
  void aNewFileIsTakenAndARemovedOnesRulesGo() throws Exception {
    try (RulePacks packs = new RulePacks(Optional.of(dir), Duration.ZERO)) {
      assertThat(ids(packs)).doesNotContain("H-1").contains("K8S-026");
      Files.writeString(dir.resolve("house.yml"), GOOD);
      Files.writeString(dir.resolve("notes.txt"), "not a pack");
      assertThat(packs.reload()).isEmpty();
      assertThat(ids(packs)).contains("H-1");
      Files.delete(dir.resolve("house.yml"));
      packs.reload();
      assertThat(ids(packs)).doesNotContain("H-1");
      Files.writeString(dir.resolve("broken.yaml"), "rules: 3");
      assertThat(packs.reload()).singleElement().asString()
          .endsWith("rejected: the pack.pack: required text; none of its rules are active");
    }
  }

  @ParameterizedTest(name = "{0} on {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      {path: a, not_equals: 1}                                       | {}                 | true
      {path: a, not_equals: 1}                                       | {"a": 1.0}         | false
      {path: a, exists: false}                                       | {"a": null}        | true
      {path: a, in: [x, y]}                                          | {"a": "y"}         | true
      {path: a, contains: ell}                                       | {"a": "hello"}     | true
      {path: a, contains: 2}                                         | {"a": [1, 2]}      | true
      {path: a, contains_any: [3, 2]}                                | {"a": [1, 2]}      | true
      {path: a, is_empty: true}                                      | {"a": []}          | true
      {path: a, is_empty: true}                                      | {"a": ""}          | true
      {path: a, is_empty: false}                                     | {}                 | false
      {path: a, matches: "ab+"}                                      | {"a": "abb"}       | true
      {path: a, matches: "ab+"}                                      | {"a": "xabb"}      | false
      {path: a, greater_than: 10}                                    | {"a": 11}          | true
      {path: a, less_than: 10}                                       | {"a": "5"}         | false
      {path: a, all_items: {path: b, equals: 1}}                     | {"a": []}          | false
      {path: a, all_items: {path: b, equals: 1}}                     | {"a": [{"b": 1}]}  | true
      {path: a, any_item: {path: b, equals: 1}}                      | {"a": [{"b": 2}]}  | false
      {not: {path: a.b, equals: 1}}                                  | {"a": {"b": 1}}    | false
      {any: [{path: a, equals: 1}, {path: b, equals: 1}]}            | {"b": 1}           | true
      {all: [{path: a, equals: 1}, {path: b, equals: 1}]}            | {"b": 1}           | false
      """)
  void conditionsMeanWhatTheySay(String condition, String node, boolean expected) throws Exception {
    Condition c = Condition.parse(new YAMLMapper().readTree(condition), "condition");
    assertThat(c.test(new ObjectMapper().readTree(node))).isEqualTo(expected);
  }

  @Test
  void aPathologicalRegexGivesUpInsteadOfHanging() throws Exception {
    Condition c = Condition.parse(new YAMLMapper().readTree("{path: a, matches: \"(a+)+b\"}"), "condition");
    JsonNode node = new ObjectMapper().createObjectNode().put("a", "a".repeat(40) + "c");
    long start = System.nanoTime();
    assertThat(c.test(node)).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void conditionsNestNoDeeperThanTheLimit() throws Exception {
    String deep = "{path: a, equals: 1}";
    for (int i = 0; i <= Condition.MAX_DEPTH; i++) {
      deep = "{not: " + deep + "}";
    }
    String tooDeep = deep;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Condition.parse(new YAMLMapper().readTree(tooDeep),
        "condition")).hasMessageEndingWith("conditions nest deeper than 12 levels");
  }

  private static List<String> ids(RulePacks packs) {
    return packs.rules().stream().map(Rule::id).toList();
  }
}
