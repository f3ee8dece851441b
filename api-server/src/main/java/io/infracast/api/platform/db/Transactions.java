package io.infracast.api.platform.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The one place tenancy is enforced. {@link #inTenant} runs work in a transaction as this database's tenant role
 * (created by migration V3; not the tables' owner, so row-level security applies to it whatever user the service
 * logs in as) with {@code app.tenant_id} set: every tenant-owned table's policy then shows and accepts only that
 * tenant's rows, so handlers never check tenancy themselves. Without a tenant set, the role sees no rows at all.
 *
 * <p>How a domain uses it: its module is constructed with this object and an
 * {@link io.infracast.api.platform.security.Authenticator}; it registers routes through
 * {@link io.infracast.api.platform.security.SecuredRoutes}, whose handlers receive the caller's
 * {@link io.infracast.api.platform.security.AuthContext}; a tenant-scoped handler then runs
 * {@code transactions.inTenant(auth.tenantId(), c -> ...)} and writes plain SQL against its tables. A new
 * tenant-owned table needs {@code ENABLE ROW LEVEL SECURITY} and a {@code tenant_id = app_tenant()} policy in its
 * migration (see V3).
 */
public final class Transactions {
  /** Work on a connection inside a transaction; its result is returned after the commit. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource pool;

  public Transactions(DataSource pool) {
    this.pool = pool;
  }

  /** Runs {@code work} in one transaction that sees and changes only {@code tenant}'s rows. */
  public <T> T inTenant(UUID tenant, Work<T> work) {
    return run(c -> {
      try (PreparedStatement st = c.prepareStatement(
          "select set_config('role', infracast_tenant_role(), true), set_config('app.tenant_id', ?, true)")) {
        st.setString(1, tenant.toString());
        st.execute();
      }
      return work.run(c);
    });
  }

  /**
   * Runs {@code work} in one transaction as the login user, which row-level security does not restrict. Only for
   * what precedes or spans tenants: login, token and key lookup, creating and listing tenants.
   */
  public <T> T acrossTenants(Work<T> work) {
    return run(work);
  }

  private <T> T run(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /** A database failure; unique violations are told apart so a domain can answer 409. */
  public static final class DatabaseException extends RuntimeException {
    DatabaseException(SQLException cause) {
      super(cause.getMessage(), cause);
    }

    /** SQLSTATE 23505: a unique constraint refused the row. */
    public boolean isUniqueViolation() {
      return getCause() instanceof SQLException s && "23505".equals(s.getSQLState());
    }
  }
}
