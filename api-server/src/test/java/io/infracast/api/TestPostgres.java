package io.infracast.api;

import io.infracast.api.config.DatabaseUrl;
import io.infracast.testing.postgres.ThrowawayPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A throwaway real PostgreSQL 15 for one test class ({@link ThrowawayPostgres}, shared with the operator's
 * tests), with the JDBC access the service's tests need.
 */
public final class TestPostgres implements AutoCloseable {

  private final ThrowawayPostgres server;

  private TestPostgres(ThrowawayPostgres server) {
    this.server = server;
  }

  /** Initializes and starts a new server. */
  public static TestPostgres start() {
    return new TestPostgres(ThrowawayPostgres.start());
  }

  /** Starts the server (again) on the same port and data folder. */
  public void startAgain() {
    server.startAgain();
  }

  /** Stops the server (fast shutdown: clients are disconnected); {@link #startAgain()} brings it back. */
  public void stop() {
    server.stop();
  }

  public int port() {
    return server.port();
  }

  public String password() {
    return server.password();
  }

  /** A fresh empty database. */
  public String createDatabase() {
    return server.createDatabase();
  }

  /** DATABASE_URL in the libpq form, with the password. */
  public String postgresUrl(String database) {
    return server.postgresUrl(database);
  }

  public DatabaseUrl url(String database) {
    return DatabaseUrl.parse(postgresUrl(database));
  }

  public Connection connect(String database) throws SQLException {
    DatabaseUrl url = url(database);
    return DriverManager.getConnection(url.jdbcUrl(), url.connectionProperties());
  }

  @Override
  public void close() {
    server.close();
  }

  /** A free loopback TCP port (for the service under test). */
  public static int freeTcpPort() {
    return ThrowawayPostgres.freePort();
  }
}
