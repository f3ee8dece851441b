package io.infracast.api.compliance;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infracast.api.assets.AssetsService;
import io.infracast.api.assets.Node;
import io.infracast.api.audit.AuditService;
import io.infracast.api.compliance.internal.FindingsRepository;
import io.infracast.api.compliance.internal.Rule;
import io.infracast.api.compliance.internal.RulePacks;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.events.Outbox;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.AuthContext;
import io.infracast.api.platform.security.Caller;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compliance domain's door: evaluates the active rule packs against a tenant's asset graph (read through the
 * assets domain's service, a page at a time) and keeps the findings, which callers list, read, accept and resolve.
 * Every write is audited in its transaction.
 */
public final class ComplianceService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ComplianceService.class);
  /** The fields a findings list can be sorted by ({@code sort=field} or {@code sort=-field}). */
  public static final Set<String> SORT_FIELDS = FindingsRepository.SORT_COLUMNS.keySet();
  public static final Set<String> STATUSES = Set.of("open", "resolved", "accepted");
  /** Nodes read from the asset graph per page during an evaluation. */
  static final int NODE_PAGE = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Transactions transactions;
  private final AuditService audit;
  private final AssetsService assets;
  private final RulePacks packs;
  private final List<EvaluationListener> listeners;
  private final FindingsRepository repository = new FindingsRepository();

  /**
   * Loads the built-in rule packs and those of {@code rulesDir}, which it looks at again every
   * {@code reloadEvery} (zero: never); {@link #close} stops that. {@code listeners} are told of each evaluation.
   */
  public ComplianceService(Transactions transactions, AuditService audit, AssetsService assets,
      Optional<Path> rulesDir, Duration reloadEvery, List<EvaluationListener> listeners) {
    this.transactions = transactions;
    this.audit = audit;
    this.assets = assets;
    this.packs = new RulePacks(rulesDir, reloadEvery);
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void close() {
    packs.close();
  }

  /**
   * Evaluates the tenant's graph now, as the service itself (after each discovery job that succeeds):
   * new failures become open findings, open ones that no longer fail are resolved, accepted ones stay accepted.
   */
  public Evaluation evaluateTenant(UUID tenantId) {
    return evaluate(tenantId, null);
  }

  /** {@code POST /findings/run}: an evaluation now, recorded in the audit log as the caller's. */
  public Evaluation run(AuthContext auth) {
    return evaluate(auth.tenantId(), auth.caller());
  }

  private Evaluation evaluate(UUID tenant, Caller actor) {
    Instant started = Instant.now();
    List<Rule> rules = packs.rules();
    Map<String, List<Rule>> byType = new HashMap<>();
    rules.forEach(r -> r.nodeTypes().forEach(t -> byType.computeIfAbsent(t, k -> new ArrayList<>()).add(r)));
    List<FindingsRepository.Match> matches = new ArrayList<>();
    long nodes = 0;
    Map<String, TypeSeen> seen = new HashMap<>();
    for (Map.Entry<String, List<Rule>> type : byType.entrySet()) {
      String after = null;
      List<Node> page;
      TypeSeen typeSeen = new TypeSeen();
      seen.put(type.getKey(), typeSeen);
      do {
        page = assets.nodesOfType(tenant, type.getKey(), after, NODE_PAGE);
        typeSeen.add(page);
        for (Node node : page) {
          ObjectNode view = view(node);
          for (Rule rule : type.getValue()) {
            if (rule.condition().test(view)) {
              matches.add(new FindingsRepository.Match(rule, node.id(), node.type(), node.name()));
            }
          }
        }
        nodes += page.size();
        after = page.isEmpty() ? null : page.get(page.size() - 1).id();
      } while (page.size() == NODE_PAGE);
    }
    long evaluated = nodes;
    Assessment[] assessment = new Assessment[1];
    long[] assessNanos = new long[1];
    Evaluation done = transactions.inTenant(tenant, c -> {
      FindingsRepository.Recorded r = repository.record(c, tenant, matches);
      if (!listeners.isEmpty()) {
        long t = System.nanoTime();
        assessment[0] = assess(rules, seen, repository.controlFindings(c, rules.stream().map(Rule::id).toList(),
            Assessment.SAMPLE), started);
        assessNanos[0] = System.nanoTime() - t;
      }
      Evaluation e = new Evaluation(rules.size(), evaluated, matches.size(), r.created().size(), r.reopened(),
          r.resolved());
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("rules", e.rules());
      details.put("nodes_evaluated", e.nodesEvaluated());
      details.put("matched", e.matched());
      details.put("created", e.created());
      details.put("reopened", e.reopened());
      details.put("resolved", e.resolved());
      audit.record(c, actor, tenant, "findings.evaluated", "finding", null, details);
      Outbox.publish(c, tenant, "finding.created", () -> repository.findings(c, r.created()).stream()
          .map(f -> Map.of("finding", f)).toList());
      Outbox.publish(c, tenant, "finding.severity_changed", () -> repository.findings(c,
          r.severityChanged().keySet()).stream().map(f -> new FindingsRepository.SeverityChanged(f,
          r.severityChanged().get(f.id()))).toList());
      return e;
    });
    log.info("compliance evaluation", kv("tenant_id", tenant), kv("rules", done.rules()),
        kv("nodes", done.nodesEvaluated()), kv("matched", done.matched()), kv("created", done.created()),
        kv("resolved", done.resolved()), kv("duration_ms", Duration.between(started, Instant.now()).toMillis()),
        kv("assessment_ms", assessNanos[0] / 1_000_000));
    for (EvaluationListener l : listeners) {
      try {
        l.evaluated(tenant, assessment[0]);
      } catch (RuntimeException e) {
        log.error("an evaluation listener failed for tenant {}", tenant, e);
      }
    }
    return done;
  }

  /** The nodes of one type an evaluation read: how many, and the first ids (pages come in id order). */
  private static final class TypeSeen {
    long count;
    final List<String> firstIds = new ArrayList<>();

    void add(List<Node> page) {
      count += page.size();
      for (int i = 0; i < page.size() && firstIds.size() < Assessment.SAMPLE; i++) {
        firstIds.add(page.get(i).id());
      }
    }
  }

  /** One entry per distinct (framework, control id) of {@code rules}, in the rules' order. */
  private static Assessment assess(List<Rule> rules, Map<String, TypeSeen> seen,
      Map<Finding.Control, Map<String, Assessment.Findings>> findings, Instant started) {
    Map<Finding.Control, List<Rule>> byControl = new LinkedHashMap<>();
    rules.forEach(r -> r.controls().forEach(ctl -> byControl.computeIfAbsent(ctl, k -> new ArrayList<>()).add(r)));
    List<Assessment.Control> controls = new ArrayList<>();
    byControl.forEach((control, its) -> {
      Set<String> types = new TreeSet<>();
      its.forEach(r -> types.addAll(r.nodeTypes()));
      long count = types.stream().mapToLong(t -> seen.get(t).count).sum();
      List<String> ids = types.stream().flatMap(t -> seen.get(t).firstIds.stream()).sorted()
          .limit(Assessment.SAMPLE).toList();
      Map<String, Assessment.Findings> byStatus = findings.getOrDefault(control, Map.of());
      controls.add(new Assessment.Control(control.framework(), control.controlId(),
          its.stream().map(Rule::id).toList(), List.copyOf(types), count, ids,
          byStatus.getOrDefault("open", Assessment.Findings.NONE),
          byStatus.getOrDefault("accepted", Assessment.Findings.NONE)));
    });
    return new Assessment(UUID.randomUUID(), started, controls);
  }

  /** What a condition sees: the node's fields by their API names. */
  private static ObjectNode view(Node node) {
    ObjectNode v = JSON.createObjectNode();
    v.put("id", node.id()).put("type", node.type()).put("provider", node.provider()).put("region", node.region())
        .put("account_id", node.accountId()).put("name", node.name());
    v.set("properties", node.properties() == null ? JSON.createObjectNode() : node.properties());
    v.set("tags", JSON.valueToTree(node.tags() == null ? Map.of() : node.tags()));
    return v;
  }

  public Map<String, Object> list(AuthContext auth, FindingFilter filter, Page page) {
    if (!SORT_FIELDS.contains(filter.sort())) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "cannot sort by '" + filter.sort() + "': sort by one of "
          + String.join(", ", SORT_FIELDS.stream().sorted().toList()) + " (prefix - for descending)",
          Map.of("parameter", "sort", "reason", "unknown_sort_field",
              "allowed", SORT_FIELDS.stream().sorted().toList()));
    }
    return transactions.inTenant(auth.tenantId(), c -> {
      Map.Entry<List<Finding>, Long> found = repository.findings(c, filter, page.perPage(), page.offset());
      return page.body(found.getKey(), found.getValue());
    });
  }

  public Finding get(AuthContext auth, String id) {
    UUID uuid = findingId(id);
    return transactions.inTenant(auth.tenantId(), c -> repository.finding(c, uuid))
        .orElseThrow(() -> notFound(id));
  }

  /** Accepts the risk of a finding: it stays accepted whatever later evaluations find. */
  public Finding accept(AuthContext auth, String id, Optional<String> reason) {
    return setStatus(auth, id, "accepted", reason);
  }

  /** Marks a finding resolved; the next evaluation opens it again if its rule still fails. */
  public Finding resolve(AuthContext auth, String id, Optional<String> reason) {
    return setStatus(auth, id, "resolved", reason);
  }

  private Finding setStatus(AuthContext auth, String id, String status, Optional<String> reason) {
    UUID uuid = findingId(id);
    return transactions.inTenant(auth.tenantId(), c -> {
      Finding before = repository.finding(c, uuid).orElseThrow(() -> notFound(id));
      Finding after = repository.setStatus(c, uuid, status, reason.orElse(null), auth.caller().id().toString())
          .orElseThrow();
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("rule_id", before.ruleId());
      details.put("node_id", before.nodeId());
      details.put("from", before.status());
      reason.ifPresent(r -> details.put("reason", r));
      audit.record(c, auth.caller(), auth.tenantId(), "finding." + status, "finding", id, details);
      return after;
    });
  }

  /** Finding ids are UUIDs; anything else names no finding (404, as another tenant's id). */
  private static UUID findingId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound(id);
    }
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("finding " + id + " not found");
  }
}
