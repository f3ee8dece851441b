package io.infracast.api;

import io.infracast.api.platform.db.Pools;
import io.infracast.contract.DatabaseUrl;
import io.infracast.testing.postgres.ThrowawayPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway real PostgreSQL 15 for one test class ({@link ThrowawayPostgres}, shared with the operator's
 * tests), with the JDBC access the service's tests need. Register it as a static extension: it starts before the
 * class's first {@code @BeforeAll} method and is removed after the class.
 */
public final class TestPostgres implements BeforeAllCallback, AfterAllCallback {

  private ThrowawayPostgres server;

  private TestPostgres() {}

  /** {@code @RegisterExtension static final TestPostgres pg = TestPostgres.perClass();} */
  public static TestPostgres perClass() {
    return new TestPostgres();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = ThrowawayPostgres.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
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
    return DriverManager.getConnection(url.jdbcUrl(), Pools.driverProperties(url));
  }

  /** A free loopback TCP port (for the service under test). */
  public static int freeTcpPort() {
    return ThrowawayPostgres.freePort();
  }
}
