package io.infracast.api.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.infracast.contract.ConfigException;
import io.infracast.contract.DatabaseUrl;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

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
    c.setDataSourceProperties(driverProperties(url));
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

  /**
   * Driver properties: user, password and the fixed timeouts that keep health checks from hanging, unless the
   * URL's own parameters set them. The password travels only here, never in a JDBC URL that could be logged.
   */
  public static Properties driverProperties(DatabaseUrl url) {
    Properties p = new Properties();
    p.setProperty("user", url.user());
    if (url.password() != null) {
      p.setProperty("password", url.password());
    }
    p.setProperty("ApplicationName", "infracast-api");
    Map<String, String> given = url.parameters();
    if (!given.containsKey("connectTimeout")) {
      p.setProperty("connectTimeout", "3");
    }
    if (!given.containsKey("loginTimeout")) {
      p.setProperty("loginTimeout", "5");
    }
    if (!given.containsKey("tcpKeepAlive")) {
      p.setProperty("tcpKeepAlive", "true");
    }
    return p;
  }

  /**
   * One connection outside any pool. PostgreSQL refusing the login (SQLSTATE class 28: 28P01 wrong password,
   * 28000 unknown user or no pg_hba.conf entry) is a setting that retrying cannot fix: a {@link ConfigException}
   * at once, instead of the retries an unreachable database gets.
   */
  public static Connection connect(DatabaseUrl url) throws SQLException {
    try {
      return DriverManager.getConnection(url.jdbcUrl(), driverProperties(url));
    } catch (SQLException e) {
      if (e.getSQLState() == null || !e.getSQLState().startsWith("28")) {
        throw e;
      }
      ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
      throw new ConfigException("database refused the login of user " + url.user() + " at " + url.hosts()
          + " (SQLSTATE " + e.getSQLState() + ": " + (server == null ? e.getMessage() : server.getMessage())
          + "): check the user and password in DATABASE_URL");
    }
  }

  /** Fails at once when PostgreSQL refuses the login; an unreachable database is not an error here. */
  public static void checkLogin(DatabaseUrl url) {
    try {
      connect(url).close();
    } catch (SQLException e) {
      // unreachable or down: serve starts degraded and /healthz says so until it answers
    }
  }
}
