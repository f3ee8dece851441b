package io.infracast.api.identity.internal;

import io.infracast.api.identity.internal.IdentityRepository.RefreshRow;
import io.infracast.api.identity.internal.IdentityRepository.UserRow;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.security.Caller;
import io.infracast.api.platform.security.SecuredRoutes;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Logging in, refreshing, and turning a bearer credential into a {@link Caller}.
 *
 * <p>Failed logins are counted per email and client address: after {@link #MAX_FAILURES} within
 * {@link #FAILURE_WINDOW}, further attempts get 429 with {@code Retry-After} until the window ends (checked before
 * the password, so a flood costs no hashing). A successful login clears the count.
 */
public final class Sessions {
  public static final int MAX_FAILURES = 5;
  public static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);

  private final Transactions transactions;
  private final Tokens tokens;
  private final PasswordHasher hasher;

  public Sessions(Transactions transactions, Tokens tokens, PasswordHasher hasher) {
    this.transactions = transactions;
    this.tokens = tokens;
    this.hasher = hasher;
  }

  /** What {@code POST /auth/token} and {@code /auth/refresh} answer. */
  public record Session(String accessToken, String tokenType, long expiresIn, Instant expiresAt, String refreshToken,
      Instant refreshExpiresAt, UserView user) {}

  public record UserView(UUID id, String email, boolean systemAdmin, List<MembershipView> memberships) {}

  public record MembershipView(String tenant, String role) {}

  /** A result decided inside a transaction that must commit even when the request fails (a counted failure). */
  private record Outcome<T>(T value, ApiException failure) {
    T get() {
      if (failure != null) {
        throw failure;
      }
      return value;
    }
  }

  public Session login(String email, String password, String clientIp) {
    Instant now = tokens.now();
    Instant windowSince = now.minus(FAILURE_WINDOW);
    int failures = transactions.acrossTenants(c -> IdentityRepository.recentFailures(c, email, clientIp, windowSince));
    if (failures >= MAX_FAILURES) {
      throw throttled(email, clientIp, now);
    }
    UserRow user = transactions.acrossTenants(c -> IdentityRepository.userByEmail(c, email)).orElse(null);
    boolean ok = hasher.verify(password, user == null ? null : user.passwordHash()) && !user.disabled();
    return transactions.acrossTenants(c -> {
      if (!ok) {
        IdentityRepository.recordFailure(c, email, clientIp, now, windowSince);
        return new Outcome<Session>(null, SecuredRoutes.unauthorized("invalid_credentials",
            "email or password is wrong"));
      }
      IdentityRepository.clearFailures(c, email, clientIp);
      return new Outcome<>(newSession(c, user, UUID.randomUUID(), now), null);
    }).get();
  }

  private ApiException throttled(String email, String clientIp, Instant now) {
    Instant start = transactions.acrossTenants(c -> IdentityRepository.windowStart(c, email, clientIp)).orElse(now);
    long retryAfter = Math.max(1, Duration.between(now, start.plus(FAILURE_WINDOW)).toSeconds());
    return new ApiException(ErrorCode.RATE_LIMITED, "too many failed logins for this email from your address: "
        + "try again in " + retryAfter + " s", Map.of("retry_after_seconds", retryAfter));
  }

  /** Rotates a refresh token: the presented one is spent; presenting a spent one again revokes its whole family. */
  public Session refresh(String refreshToken) {
    byte[] hash = Tokens.sha256(refreshToken);
    Instant now = tokens.now();
    return transactions.acrossTenants(c -> {
      var used = IdentityRepository.useRefresh(c, hash, now);
      if (used.isPresent()) {
        UserRow user = IdentityRepository.userById(c, used.get().userId()).filter(u -> !u.disabled()).orElse(null);
        return user == null
            ? new Outcome<Session>(null, SecuredRoutes.unauthorized("user_disabled", "the user is disabled"))
            : new Outcome<>(newSession(c, user, used.get().familyId(), now), null);
      }
      RefreshRow row = IdentityRepository.refreshByHash(c, hash).orElse(null);
      if (row == null) {
        return new Outcome<Session>(null, SecuredRoutes.unauthorized("refresh_token_invalid",
            "the refresh token is not valid"));
      }
      if (row.used() && !row.revoked()) {
        IdentityRepository.revokeFamily(c, row.familyId(), now);
      }
      return new Outcome<Session>(null, row.used()
          ? SecuredRoutes.unauthorized("refresh_token_reused", "this refresh token was already used: every token "
              + "of its login is revoked, log in again")
          : row.revoked()
              ? SecuredRoutes.unauthorized("refresh_token_revoked", "the refresh token was revoked: log in again")
              : SecuredRoutes.unauthorized("refresh_token_expired", "the refresh token has expired: log in again"));
    }).get();
  }

  private Session newSession(Connection c, UserRow user, UUID family, Instant now)
      throws SQLException {
    String refresh = tokens.refreshToken();
    Instant refreshExpires = now.plus(Tokens.REFRESH_TTL);
    IdentityRepository.insertRefresh(c, family, user.id(), Tokens.sha256(refresh), now, refreshExpires);
    return new Session(tokens.accessToken(user.id(), now), "Bearer", Tokens.ACCESS_TTL.toSeconds(),
        now.plus(Tokens.ACCESS_TTL), refresh, refreshExpires, view(c, user));
  }

  public static UserView view(Connection c, UserRow user) throws SQLException {
    return new UserView(user.id(), user.email(), user.systemAdmin(), IdentityRepository.membershipsOf(c, user.id())
        .stream().map(m -> new MembershipView(m.tenant(), m.role())).toList());
  }

  /** The caller a bearer credential proves, or 401 with the reason. */
  public Caller authenticate(String credential) {
    if (credential.startsWith(Tokens.API_KEY_START)) {
      String prefix = Tokens.keyPrefix(credential);
      var key = transactions.acrossTenants(c -> IdentityRepository.keyByPrefix(c, prefix))
          .filter(k -> MessageDigest.isEqual(k.secretHash(), Tokens.sha256(credential)))
          .orElseThrow(Tokens::invalidKey);
      if (key.revoked()) {
        throw SecuredRoutes.unauthorized("api_key_revoked", "the API key has been revoked");
      }
      return new Caller(Caller.Kind.API_KEY, key.id(), false);
    }
    UUID userId = tokens.verifyAccess(credential);
    UserRow user = transactions.acrossTenants(c -> IdentityRepository.userById(c, userId))
        .filter(u -> !u.disabled())
        .orElseThrow(() -> SecuredRoutes.unauthorized("user_disabled", "the token's user no longer exists or is "
            + "disabled"));
    return new Caller(Caller.Kind.USER, user.id(), user.systemAdmin());
  }
}
