package io.infracast.api.identity.internal;

import io.infracast.api.platform.db.Sql;
import io.infracast.api.platform.security.Role;
import io.infracast.api.platform.security.TenantAccess;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The identity domain's SQL. Methods take the caller's transaction; which rows they see is the runner's matter. */
public final class IdentityRepository {
  private IdentityRepository() {}

  public record UserRow(UUID id, String email, String passwordHash, boolean systemAdmin, boolean disabled) {}

  public record MembershipRow(UUID tenantId, String tenant, String role) {}

  public record Member(UUID id, String email, String role, Instant addedAt) {}

  public record Tenant(UUID id, String slug, String name, UUID accountId, Instant createdAt) {}

  public record Key(UUID id, String name, String role, String prefix, String createdBy, Instant createdAt,
      Instant revokedAt) {}

  public record KeyRow(UUID id, byte[] secretHash, boolean revoked) {}

  public record RefreshRow(UUID id, UUID familyId, UUID userId, Instant expiresAt, boolean used, boolean revoked) {}

  private static final String USER_COLUMNS = "select id, email, password_hash, is_system_admin, disabled from users ";

  private static UserRow user(ResultSet rs) throws SQLException {
    return new UserRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getBoolean(4),
        rs.getBoolean(5));
  }

  public static Optional<UserRow> userByEmail(Connection c, String email) throws SQLException {
    return Sql.one(c, USER_COLUMNS + "where lower(email) = lower(?)", IdentityRepository::user, email);
  }

  public static Optional<UserRow> userById(Connection c, UUID id) throws SQLException {
    return Sql.one(c, USER_COLUMNS + "where id = ?", IdentityRepository::user, id);
  }

  public static void insertUser(Connection c, UUID id, String email, String passwordHash, boolean systemAdmin)
      throws SQLException {
    Sql.update(c, "insert into users (id, username, email, password_hash, is_system_admin) values (?, ?, ?, ?, ?)",
        id, email, email, passwordHash, systemAdmin);
  }

  public static boolean anySystemAdmin(Connection c) throws SQLException {
    return Sql.one(c, "select exists (select 1 from users where is_system_admin)", rs -> rs.getBoolean(1))
        .orElse(false);
  }

  public static List<MembershipRow> membershipsOf(Connection c, UUID user) throws SQLException {
    return Sql.list(c, "select t.id, t.slug, m.role from tenant_memberships m join tenants t on t.id = m.tenant_id "
        + "where m.user_id = ? order by t.slug", rs -> new MembershipRow(rs.getObject(1, UUID.class),
        rs.getString(2), rs.getString(3)), user);
  }

  // Login throttling

  /** The failures counted in the window that started at or after {@code since}. */
  public static int recentFailures(Connection c, String email, String ip, Instant since) throws SQLException {
    return Sql.one(c, "select failures from login_failures where email = lower(?) and client_ip = ? "
        + "and window_start >= ?", rs -> rs.getInt(1), email, ip, since).orElse(0);
  }

  public static Optional<Instant> windowStart(Connection c, String email, String ip) throws SQLException {
    return Sql.one(c, "select window_start from login_failures where email = lower(?) and client_ip = ?",
        rs -> Sql.instant(rs, "window_start"), email, ip);
  }

  /** Counts a failure: a new window when the last one started before {@code windowSince}. */
  public static void recordFailure(Connection c, String email, String ip, Instant now, Instant windowSince)
      throws SQLException {
    Sql.update(c, "insert into login_failures (email, client_ip, window_start, failures) values (lower(?), ?, ?, 1) "
        + "on conflict (email, client_ip) do update set "
        + "failures = case when login_failures.window_start < ? then 1 else login_failures.failures + 1 end, "
        + "window_start = case when login_failures.window_start < ? then excluded.window_start "
        + "else login_failures.window_start end", email, ip, now, windowSince, windowSince);
  }

  public static void clearFailures(Connection c, String email, String ip) throws SQLException {
    Sql.update(c, "delete from login_failures where email = lower(?) and client_ip = ?", email, ip);
  }

  // Refresh tokens

  public static void insertRefresh(Connection c, UUID family, UUID user, byte[] hash, Instant now, Instant expires)
      throws SQLException {
    Sql.update(c, "insert into refresh_tokens (id, family_id, user_id, token_hash, created_at, expires_at) "
        + "values (?, ?, ?, ?, ?, ?)", UUID.randomUUID(), family, user, hash, now, expires);
  }

  /** Marks an unused, unrevoked, unexpired token used (atomically: one of two racing refreshes wins). */
  public static Optional<RefreshRow> useRefresh(Connection c, byte[] hash, Instant now) throws SQLException {
    return Sql.one(c, "update refresh_tokens set used_at = ? where token_hash = ? and used_at is null "
        + "and revoked_at is null and expires_at > ? returning id, family_id, user_id, expires_at, true, false",
        IdentityRepository::refresh, now, hash, now);
  }

  public static Optional<RefreshRow> refreshByHash(Connection c, byte[] hash) throws SQLException {
    return Sql.one(c, "select id, family_id, user_id, expires_at, used_at is not null, revoked_at is not null "
        + "from refresh_tokens where token_hash = ?", IdentityRepository::refresh, hash);
  }

  private static RefreshRow refresh(ResultSet rs) throws SQLException {
    return new RefreshRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
        Sql.instant(rs, "expires_at"), rs.getBoolean(5), rs.getBoolean(6));
  }

  public static void revokeFamily(Connection c, UUID family, Instant now) throws SQLException {
    Sql.update(c, "update refresh_tokens set revoked_at = ? where family_id = ? and revoked_at is null", now, family);
  }

  // Tenants and access

  public static Optional<TenantAccess> memberAccess(Connection c, UUID user, String slug) throws SQLException {
    return Sql.one(c, "select t.id, t.slug, m.role from tenants t join tenant_memberships m on m.tenant_id = t.id "
        + "where m.user_id = ? and t.slug = ?", IdentityRepository::access, user, slug);
  }

  public static Optional<TenantAccess> adminAccess(Connection c, String slug) throws SQLException {
    return Sql.one(c, "select id, slug, 'system-admin' from tenants where slug = ?", IdentityRepository::access, slug);
  }

  public static Optional<TenantAccess> keyAccess(Connection c, UUID key, String slug) throws SQLException {
    return Sql.one(c, "select t.id, t.slug, k.role from api_keys k join tenants t on t.id = k.tenant_id "
        + "where k.id = ? and t.slug = ? and k.revoked_at is null", IdentityRepository::access, key, slug);
  }

  private static TenantAccess access(ResultSet rs) throws SQLException {
    return new TenantAccess(rs.getObject(1, UUID.class), rs.getString(2), Role.fromWire(rs.getString(3)).orElseThrow());
  }

  private static final String TENANT_COLUMNS = "select t.id, t.slug, t.name, t.account_id, t.created_at from tenants t ";

  private static Tenant tenant(ResultSet rs) throws SQLException {
    return new Tenant(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getObject(4, UUID.class),
        Sql.instant(rs, "created_at"));
  }

  /** The tenant of the current tenant transaction (row-level security shows no other). */
  public static Optional<Tenant> currentTenant(Connection c) throws SQLException {
    return Sql.one(c, TENANT_COLUMNS, IdentityRepository::tenant);
  }

  /** Tenants visible to a caller: all ({@code member} null) or those {@code member} belongs to. */
  public static List<Tenant> tenants(Connection c, UUID member, int limit, int offset) throws SQLException {
    return member == null
        ? Sql.list(c, TENANT_COLUMNS + "order by t.slug limit ? offset ?", IdentityRepository::tenant, limit, offset)
        : Sql.list(c, TENANT_COLUMNS + "join tenant_memberships m on m.tenant_id = t.id where m.user_id = ? "
            + "order by t.slug limit ? offset ?", IdentityRepository::tenant, member, limit, offset);
  }

  public static long countTenants(Connection c, UUID member) throws SQLException {
    return member == null
        ? Sql.one(c, "select count(*) from tenants", rs -> rs.getLong(1)).orElse(0L)
        : Sql.one(c, "select count(*) from tenant_memberships where user_id = ?", rs -> rs.getLong(1), member)
            .orElse(0L);
  }

  public static Optional<Tenant> tenantOfKey(Connection c, UUID key) throws SQLException {
    return Sql.one(c, TENANT_COLUMNS + "join api_keys k on k.tenant_id = t.id where k.id = ?",
        IdentityRepository::tenant, key);
  }

  public static boolean accountExists(Connection c, UUID account) throws SQLException {
    return Sql.one(c, "select exists (select 1 from accounts where id = ?)", rs -> rs.getBoolean(1), account)
        .orElse(false);
  }

  public static UUID insertAccount(Connection c, String name) throws SQLException {
    UUID id = UUID.randomUUID();
    Sql.update(c, "insert into accounts (id, name) values (?, ?)", id, name);
    return id;
  }

  public static Tenant insertTenant(Connection c, UUID account, String slug, String name) throws SQLException {
    UUID id = UUID.randomUUID();
    Sql.update(c, "insert into tenants (id, account_id, slug, name) values (?, ?, ?, ?)", id, account, slug, name);
    return Sql.one(c, TENANT_COLUMNS + "where t.id = ?", IdentityRepository::tenant, id).orElseThrow();
  }

  public static boolean deleteTenant(Connection c, UUID id) throws SQLException {
    return Sql.update(c, "delete from tenants where id = ?", id) == 1;
  }

  // Members of the current tenant

  public static List<Member> members(Connection c, int limit, int offset) throws SQLException {
    return Sql.list(c, "select u.id, u.email, m.role, m.created_at from tenant_memberships m "
        + "join users u on u.id = m.user_id order by lower(u.email) limit ? offset ?",
        rs -> new Member(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), Sql.instant(rs, "created_at")),
        limit, offset);
  }

  public static long countMembers(Connection c) throws SQLException {
    return Sql.one(c, "select count(*) from tenant_memberships", rs -> rs.getLong(1)).orElse(0L);
  }

  public static void insertMembership(Connection c, UUID tenant, UUID user, String role) throws SQLException {
    Sql.update(c, "insert into tenant_memberships (tenant_id, user_id, role) values (?, ?, ?)", tenant, user, role);
  }

  public static boolean setRole(Connection c, UUID user, String role) throws SQLException {
    return Sql.update(c, "update tenant_memberships set role = ? where user_id = ?", role, user) == 1;
  }

  public static boolean removeMember(Connection c, UUID user) throws SQLException {
    return Sql.update(c, "delete from tenant_memberships where user_id = ?", user) == 1;
  }

  // API keys

  public static Optional<KeyRow> keyByPrefix(Connection c, String prefix) throws SQLException {
    return Sql.one(c, "select id, secret_hash, revoked_at is not null from api_keys where prefix = ?",
        rs -> new KeyRow(rs.getObject(1, UUID.class), rs.getBytes(2), rs.getBoolean(3)), prefix);
  }

  private static final String KEY_COLUMNS =
      "select id, name, role, prefix, created_by, created_at, revoked_at from api_keys ";

  private static Key key(ResultSet rs) throws SQLException {
    return new Key(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        Sql.instant(rs, "created_at"), Sql.instant(rs, "revoked_at"));
  }

  public static Key insertKey(Connection c, UUID tenant, String name, String role, String prefix, byte[] hash,
      String createdBy) throws SQLException {
    UUID id = UUID.randomUUID();
    Sql.update(c, "insert into api_keys (id, tenant_id, name, role, prefix, secret_hash, created_by) "
        + "values (?, ?, ?, ?, ?, ?, ?)", id, tenant, name, role, prefix, hash, createdBy);
    return Sql.one(c, KEY_COLUMNS + "where id = ?", IdentityRepository::key, id).orElseThrow();
  }

  public static List<Key> keys(Connection c, int limit, int offset) throws SQLException {
    return Sql.list(c, KEY_COLUMNS + "order by created_at, id limit ? offset ?", IdentityRepository::key, limit,
        offset);
  }

  public static long countKeys(Connection c) throws SQLException {
    return Sql.one(c, "select count(*) from api_keys", rs -> rs.getLong(1)).orElse(0L);
  }

  /** Revokes a key (a second revocation keeps the first time); false when the key is not this tenant's. */
  public static boolean revokeKey(Connection c, UUID key, Instant now) throws SQLException {
    return Sql.update(c, "update api_keys set revoked_at = coalesce(revoked_at, ?) where id = ?", now, key) == 1;
  }
}
