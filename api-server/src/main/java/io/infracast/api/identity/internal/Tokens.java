package io.infracast.api.identity.internal;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.security.SecuredRoutes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Credentials: HS256 access tokens signed with {@code JWT_SECRET} (1 h), opaque refresh tokens ({@code rt_...},
 * 7 days) and API keys ({@code sk_<prefix>_<secret>}). Refresh tokens and keys are stored as SHA-256 hashes: they
 * are 256 random bits, so a slow hash would add nothing but latency to every request.
 */
public final class Tokens {
  public static final Duration ACCESS_TTL = Duration.ofHours(1);
  public static final Duration REFRESH_TTL = Duration.ofDays(7);
  static final String ISSUER = "infracast-api";
  public static final String API_KEY_START = "sk_";
  private static final int KEY_PREFIX_CHARS = 12;

  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Tokens(String secret, Clock clock) {
    this.algorithm = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
    this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm).withIssuer(ISSUER)
        .withClaim("typ", "access")).build(clock);
    this.clock = clock;
  }

  public Instant now() {
    return clock.instant();
  }

  public String accessToken(UUID user, Instant now) {
    return JWT.create().withIssuer(ISSUER).withSubject(user.toString()).withClaim("typ", "access")
        .withIssuedAt(now).withExpiresAt(now.plus(ACCESS_TTL)).sign(algorithm);
  }

  /** The user an access token names; 401 saying why otherwise. */
  public UUID verifyAccess(String token) {
    String subject;
    try {
      subject = verifier.verify(token).getSubject();
    } catch (TokenExpiredException e) {
      throw SecuredRoutes.unauthorized("token_expired", "the access token has expired: get a new one with "
          + "POST /api/v1/auth/refresh");
    } catch (SignatureVerificationException | AlgorithmMismatchException e) {
      throw SecuredRoutes.unauthorized("signature_invalid", "the access token's signature is not valid");
    } catch (JWTDecodeException e) {
      throw SecuredRoutes.unauthorized("token_malformed", "the bearer credential is neither an access token "
          + "nor an API key");
    } catch (JWTVerificationException e) {
      throw invalidToken();
    }
    try {
      return UUID.fromString(subject == null ? "" : subject);
    } catch (IllegalArgumentException e) {
      throw invalidToken();
    }
  }

  private static ApiException invalidToken() {
    return SecuredRoutes.unauthorized("token_invalid", "the access token is not valid here");
  }

  public String refreshToken() {
    return "rt_" + randomText();
  }

  /** A new API key: the whole key (shown once) and its lookup prefix. */
  public record NewKey(String key, String prefix) {}

  public NewKey apiKey() {
    byte[] p = new byte[KEY_PREFIX_CHARS / 2];
    random.nextBytes(p);
    String prefix = HexFormat.of().formatHex(p);
    return new NewKey(API_KEY_START + prefix + "_" + randomText(), prefix);
  }

  /** The lookup prefix of a presented key; 401 when it cannot be one of ours. */
  public static String keyPrefix(String key) {
    if (key.length() < API_KEY_START.length() + KEY_PREFIX_CHARS + 2
        || key.charAt(API_KEY_START.length() + KEY_PREFIX_CHARS) != '_') {
      throw invalidKey();
    }
    return key.substring(API_KEY_START.length(), API_KEY_START.length() + KEY_PREFIX_CHARS);
  }

  public static ApiException invalidKey() {
    return SecuredRoutes.unauthorized("api_key_invalid", "the API key is not valid");
  }

  public static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String randomText() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
