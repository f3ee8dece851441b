package io.infracast.operator.migration;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an installation's migrations did, kept in a ConfigMap the operator owns, because status is a cache that a
 * restore, a move between clusters or a re-created CR drops, and a migration Job goes away with its TTL. Records
 * the version the schema reached and each failed migration Job by name, so that a failure is never retried
 * without {@code spec.migration.retry} being raised, even once its Job is gone.
 *
 * @param schemaVersion the version the schema was last migrated to; null before the first migration
 * @param failures failed migration Job names and the failure each reported
 */
public record MigrationLedger(String schemaVersion, Map<String, String> failures) {

  static final String SCHEMA_VERSION_KEY = "schemaVersion";
  static final String FAILED_PREFIX = "failed.";

  public static final MigrationLedger EMPTY = new MigrationLedger(null, Map.of());

  public MigrationLedger {
    failures = Map.copyOf(failures);
  }

  /** Reads the ledger from its ConfigMap; a missing or foreign ConfigMap reads as empty. */
  public static MigrationLedger read(Optional<ConfigMap> configMap) {
    var data = configMap.map(ConfigMap::getData).orElse(Map.of());
    var failures = new TreeMap<String, String>();
    data.forEach((key, value) -> {
      if (key.startsWith(FAILED_PREFIX)) {
        failures.put(key.substring(FAILED_PREFIX.length()), value);
      }
    });
    return new MigrationLedger(data.get(SCHEMA_VERSION_KEY), failures);
  }

  /** The ledger once {@code plan}'s step is recorded; failures are forgotten when the schema is current. */
  public MigrationLedger after(MigrationPlan plan) {
    return switch (plan.step()) {
      case CURRENT -> new MigrationLedger(plan.schemaVersion(), Map.of());
      case FAILED -> {
        var recorded = new TreeMap<>(failures);
        recorded.put(plan.jobName(), plan.failure());
        yield new MigrationLedger(plan.schemaVersion(), recorded);
      }
      default -> new MigrationLedger(plan.schemaVersion(), failures);
    };
  }

  /** The ConfigMap's data, sorted so that an unchanged ledger is never written again. */
  public Map<String, String> data() {
    var data = new TreeMap<String, String>();
    if (schemaVersion != null) {
      data.put(SCHEMA_VERSION_KEY, schemaVersion);
    }
    failures.forEach((job, message) -> data.put(FAILED_PREFIX + job, message));
    return data;
  }
}
