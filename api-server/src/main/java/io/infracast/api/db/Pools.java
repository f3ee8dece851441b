package io.infracast.api.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.infracast.api.config.DatabaseUrl;
import io.micrometer.core.instrument.MeterRegistry;

/** HikariCP pools with timeouts short enough that a dead database never blocks a caller for long. */
public final class Pools {
  private Pools() {}

  /**
   * A pool that starts even when the database is unreachable ({@code initializationFailTimeout=-1}): the
   * service comes up degraded and recovers by itself when PostgreSQL comes back.
   */
  public static HikariDataSource create(DatabaseUrl url, String name, int maxSize, MeterRegistry registry) {
    HikariConfig c = new HikariConfig();
    c.setPoolName(name);
    c.setJdbcUrl(url.jdbcUrl());
    c.setDataSourceProperties(url.connectionProperties());
    c.setMaximumPoolSize(maxSize);
    c.setMinimumIdle(Math.min(2, maxSize));
    c.setConnectionTimeout(1_000);
    c.setValidationTimeout(500);
    c.setInitializationFailTimeout(-1);
    c.setKeepaliveTime(60_000);
    c.setMaxLifetime(15 * 60_000);
    if (registry != null) {
      c.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    }
    return new HikariDataSource(c);
  }
}
