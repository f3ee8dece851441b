package io.infracast.api.identity.internal;

import io.infracast.api.audit.AuditService;
import io.infracast.api.identity.internal.IdentityRepository.Key;
import io.infracast.api.identity.internal.IdentityRepository.Member;
import io.infracast.api.identity.internal.IdentityRepository.Tenant;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.AuthContext;
import io.infracast.api.platform.security.Caller;
import io.infracast.api.platform.security.CredentialRules;
import io.infracast.api.platform.security.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Tenants, their members and their API keys. Tenant-scoped operations run in {@link Transactions#inTenant}, so a
 * foreign id simply matches no row (404); each write records its audit entry in the same transaction.
 */
public final class Directory {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final Transactions transactions;
  private final AuditService audit;
  private final PasswordHasher hasher;
  private final Tokens tokens;

  public Directory(Transactions transactions, AuditService audit, PasswordHasher hasher, Tokens tokens) {
    this.transactions = transactions;
    this.audit = audit;
    this.hasher = hasher;
    this.tokens = tokens;
  }

  /** {@code GET /me}: a user with its memberships, or a key with its tenant and role. */
  public Object me(Caller caller) {
    return transactions.acrossTenants(c -> caller.kind() == Caller.Kind.USER
        ? Sessions.view(c, IdentityRepository.userById(c, caller.id()).orElseThrow())
        : IdentityRepository.tenantOfKey(c, caller.id()).map(t -> Map.of("api_key_id", caller.id(),
            "tenant", t.slug())).orElseThrow());
  }

  // Tenants

  public Map<String, Object> tenants(Caller caller, Page page) {
    return transactions.acrossTenants(c -> {
      if (caller.kind() == Caller.Kind.API_KEY) {
        var own = IdentityRepository.tenantOfKey(c, caller.id()).stream().toList();
        return page.body(page.page() == 1 ? own : List.of(), own.size());
      }
      UUID member = caller.systemAdmin() ? null : caller.id();
      return page.body(IdentityRepository.tenants(c, member, page.perPage(), page.offset()),
          IdentityRepository.countTenants(c, member));
    });
  }

  public Tenant createTenant(Caller caller, String slug, String name, Optional<String> accountId) {
    if (!SLUG.matcher(slug).matches()) {
      throw field("slug", "slug must be 1-63 lowercase letters, digits and '-', starting and ending with a letter or "
          + "digit (acme-corp)");
    }
    requireName(name);
    Optional<UUID> account = accountId.map(a -> parseId(a).orElseThrow(() -> field("account_id",
        "account_id is not an account id")));
    return unique(() -> transactions.acrossTenants(c -> {
      UUID acc = account.isPresent() ? account.get() : IdentityRepository.insertAccount(c, name);
      if (!IdentityRepository.accountExists(c, acc)) {
        throw field("account_id", "no account " + acc);
      }
      Tenant t = IdentityRepository.insertTenant(c, acc, slug, name);
      audit.record(c, caller, t.id(), "tenant.created", "tenant", t.id().toString(), Map.of("slug", slug));
      return t;
    }), "tenant slug " + slug + " is already taken", "slug", slug);
  }

  public Tenant tenant(AuthContext auth) {
    return transactions.inTenant(auth.tenantId(), c -> IdentityRepository.currentTenant(c).orElseThrow(
        () -> ApiException.notFound("tenant not found")));
  }

  public void deleteTenant(AuthContext auth) {
    transactions.acrossTenants(c -> {
      IdentityRepository.deleteTenant(c, auth.tenantId());
      audit.record(c, auth.caller(), auth.tenantId(), "tenant.deleted", "tenant", auth.tenantId().toString(),
          Map.of("slug", auth.tenantAccess().slug()));
      return null;
    });
  }

  // Members

  public Map<String, Object> members(AuthContext auth, Page page) {
    return transactions.inTenant(auth.tenantId(), c -> page.body(
        IdentityRepository.members(c, page.perPage(), page.offset()), IdentityRepository.countMembers(c)));
  }

  /** A membership added: a new user, or (without a password) an existing one. */
  public record AddedMember(UUID id, String email, String role, boolean userCreated) {}

  public AddedMember addMember(AuthContext auth, String email, Optional<String> password, String roleName) {
    if (!CredentialRules.EMAIL.matcher(email).matches()) {
      throw field("email", "email must look like name@example.com");
    }
    String role = tenantRole(roleName);
    Optional<UUID> existing = transactions.acrossTenants(c -> IdentityRepository.userByEmail(c, email))
        .map(IdentityRepository.UserRow::id);
    if (existing.isPresent() && password.isPresent()) {
      throw new ApiException(ErrorCode.CONFLICT, "a user with this email exists: leave out password to add them",
          Map.of("field", "password"));
    }
    UUID id = existing.orElseGet(UUID::randomUUID);
    String hash = existing.isPresent() ? null : hasher.hash(checkPassword(password.orElseThrow(
        () -> field("password", "field 'password' is required for a new user"))));
    return unique(() -> transactions.inTenant(auth.tenantId(), c -> {
      if (hash != null) {
        IdentityRepository.insertUser(c, id, email, hash, false);
      }
      IdentityRepository.insertMembership(c, auth.tenantId(), id, role);
      audit.record(c, auth.caller(), auth.tenantId(), "user.added", "user", id.toString(),
          Map.of("email", email, "role", role, "user_created", hash != null));
      return new AddedMember(id, email, role, hash != null);
    }), "this user is already a member of the tenant", "email", email);
  }

  public Member setRole(AuthContext auth, String userId, String roleName) {
    String role = tenantRole(roleName);
    UUID id = parseId(userId).orElseThrow(Directory::noSuchUser);
    return transactions.inTenant(auth.tenantId(), c -> {
      if (!IdentityRepository.setRole(c, id, role)) {
        throw noSuchUser();
      }
      audit.record(c, auth.caller(), auth.tenantId(), "user.role_changed", "user", id.toString(), Map.of("role", role));
      return IdentityRepository.members(c, Integer.MAX_VALUE, 0).stream().filter(m -> m.id().equals(id)).findFirst()
          .orElseThrow();
    });
  }

  public void removeMember(AuthContext auth, String userId) {
    UUID id = parseId(userId).orElseThrow(Directory::noSuchUser);
    transactions.inTenant(auth.tenantId(), c -> {
      if (!IdentityRepository.removeMember(c, id)) {
        throw noSuchUser();
      }
      audit.record(c, auth.caller(), auth.tenantId(), "user.removed", "user", id.toString(), Map.of());
      return null;
    });
  }

  // API keys

  public Map<String, Object> keys(AuthContext auth, Page page) {
    return transactions.inTenant(auth.tenantId(), c -> page.body(
        IdentityRepository.keys(c, page.perPage(), page.offset()), IdentityRepository.countKeys(c)));
  }

  /** A created key: the only time its secret is shown. */
  public record CreatedKey(UUID id, String name, String role, String prefix, String key, Instant createdAt) {}

  public CreatedKey createKey(AuthContext auth, String name, String roleName) {
    requireName(name);
    String role = tenantRole(roleName);
    Tokens.NewKey secret = tokens.apiKey();
    return transactions.inTenant(auth.tenantId(), c -> {
      Key k = IdentityRepository.insertKey(c, auth.tenantId(), name, role, secret.prefix(),
          Tokens.sha256(secret.key()), auth.caller().kind().wire() + ":" + auth.caller().id());
      audit.record(c, auth.caller(), auth.tenantId(), "api_key.created", "api_key", k.id().toString(),
          Map.of("name", name, "role", role));
      return new CreatedKey(k.id(), k.name(), k.role(), k.prefix(), secret.key(), k.createdAt());
    });
  }

  public void revokeKey(AuthContext auth, String keyId) {
    UUID id = parseId(keyId).orElseThrow(Directory::noSuchKey);
    transactions.inTenant(auth.tenantId(), c -> {
      if (!IdentityRepository.revokeKey(c, id, tokens.now())) {
        throw noSuchKey();
      }
      audit.record(c, auth.caller(), auth.tenantId(), "api_key.revoked", "api_key", id.toString(), Map.of());
      return null;
    });
  }

  // Checks

  private static String checkPassword(String password) {
    if (!CredentialRules.validPassword(password)) {
      throw field("password", "password must be " + CredentialRules.MIN_PASSWORD_CHARS + " to "
          + CredentialRules.MAX_PASSWORD_CHARS + " characters long");
    }
    return password;
  }

  private static String tenantRole(String name) {
    return Role.fromWire(name).filter(r -> r != Role.SYSTEM_ADMIN).map(Role::wire).orElseThrow(() -> field("role",
        "role must be one of tenant-admin, security-analyst, auditor, read-only"));
  }

  private static void requireName(String name) {
    if (name.isBlank() || name.length() > 200) {
      throw field("name", "name must be 1 to 200 characters long");
    }
  }

  /** An id from a path or body; a malformed one is simply not found (no hint of what exists). */
  private static Optional<UUID> parseId(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static <T> T unique(Supplier<T> write, String conflict, String field, String value) {
    try {
      return write.get();
    } catch (Transactions.DatabaseException e) {
      if (e.isUniqueViolation()) {
        throw new ApiException(ErrorCode.CONFLICT, conflict, Map.of(field, value));
      }
      throw e;
    }
  }

  private static ApiException field(String field, String message) {
    return new ApiException(ErrorCode.BAD_REQUEST, message, Map.of("field", field));
  }

  private static ApiException noSuchUser() {
    return ApiException.notFound("user not found in this tenant");
  }

  private static ApiException noSuchKey() {
    return ApiException.notFound("API key not found in this tenant");
  }
}
