package io.infracast.api.meta;

import io.infracast.api.platform.db.DatabaseHealth;
import java.util.Optional;
import java.util.function.Supplier;

/** The meta domain's door for other domains: which release serves, and whether it can serve. */
public final class MetaService {
  private final String version;
  private final DatabaseHealth database;
  private final Supplier<Optional<String>> notReady;

  /**
   * @param notReady why this binary cannot serve although the database answers (its schema is behind), empty
   *     when it can
   */
  public MetaService(String version, DatabaseHealth database, Supplier<Optional<String>> notReady) {
    this.version = version;
    this.database = database;
    this.notReady = notReady;
  }

  public String version() {
    return version;
  }

  /** Never blocks longer than the database probe's timeout. */
  public Health health() {
    if (!database.isUp()) {
      return Health.DEGRADED;
    }
    return notReady.get().map(Health::notReady).orElse(Health.OK);
  }
}
