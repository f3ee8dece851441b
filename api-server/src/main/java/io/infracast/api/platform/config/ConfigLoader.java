package io.infracast.api.platform.config;

import static io.infracast.contract.RuntimeSettings.*;

import io.infracast.api.platform.crypto.Ed25519Keys;
import io.infracast.api.platform.crypto.SecretCipher;
import io.infracast.api.platform.security.CredentialRules;
import io.infracast.api.platform.security.TrustedProxies;
import io.infracast.contract.BooleanSetting;
import io.infracast.contract.ConfigException;
import io.infracast.contract.DatabaseUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads {@link AppConfig} from environment variables (the Runtime contract). */
public final class ConfigLoader {
  public static final String DEFAULT_DATA_DIR = "./data";

  /** What the configuration is for: {@code migrate} needs no HTTP port and no JWT secret. */
  public enum Purpose {
    SERVE,
    MIGRATE
  }

  private ConfigLoader() {}

  public static AppConfig fromEnvironment(Purpose purpose) {
    return load(System.getenv(), purpose);
  }

  public static AppConfig load(Map<String, String> env, Purpose purpose) {
    int port = purpose == Purpose.SERVE ? port(get(env, API_PORT)) : DEFAULT_API_PORT;
    Optional<DatabaseUrl> database = get(env, DATABASE_URL).map(DatabaseUrl::parse);

    String jwtSecret;
    boolean generated = false;
    Optional<String> secret = get(env, JWT_SECRET);
    if (purpose == Purpose.MIGRATE) {
      jwtSecret = "";
    } else if (secret.isPresent()) {
      int bytes = secret.get().getBytes(StandardCharsets.UTF_8).length;
      if (bytes < MIN_JWT_SECRET_BYTES) {
        throw new ConfigException("JWT_SECRET is too short (" + bytes + " bytes): it must be at least "
            + MIN_JWT_SECRET_BYTES + " bytes of random data");
      }
      jwtSecret = secret.get();
    } else if (database.isPresent()) {
      throw new ConfigException("JWT_SECRET is required when DATABASE_URL is set: set it to a random value of at least "
          + MIN_JWT_SECRET_BYTES + " bytes (for example: openssl rand -base64 48)");
    } else {
      byte[] random = new byte[48];
      new SecureRandom().nextBytes(random);
      jwtSecret = Base64.getEncoder().encodeToString(random);
      generated = true;
    }

    Path pluginDir = path(PLUGIN_DIR, get(env, PLUGIN_DIR).orElse(DEFAULT_PLUGIN_DIR));
    Path dataDir = path(DATA_DIR, get(env, DATA_DIR).orElse(DEFAULT_DATA_DIR));
    Optional<String> cdnOrigin = get(env, CONTENT_CDN_URL).map(v -> origin(CONTENT_CDN_URL, v));

    AppConfig.ArtifactStore artifacts;
    Optional<String> bucket = get(env, ARTIFACTS_BUCKET);
    if (bucket.isPresent()) {
      if (!bucket.get().matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        throw new ConfigException("ARTIFACTS_BUCKET is not a valid S3 bucket name (3-63 characters: a-z, 0-9, '.', '-')");
      }
      String region = get(env, AWS_REGION).or(() -> get(env, AWS_DEFAULT_REGION)).orElseThrow(
          () -> new ConfigException("AWS_REGION is required when ARTIFACTS_BUCKET is set (for example us-east-1)"));
      Optional<URI> endpoint = get(env, AWS_ENDPOINT_URL).map(v -> httpUri(AWS_ENDPOINT_URL, v));
      artifacts = new AppConfig.S3Bucket(bucket.get(), region, endpoint);
    } else {
      artifacts = new AppConfig.LocalFolder(dataDir.resolve("artifacts"));
    }

    boolean migrateOnStart = BooleanSetting.read(env, MIGRATE_ON_START, database.isEmpty());

    Optional<Path> rulesDir = get(env, RULES_DIR).map(v -> path(RULES_DIR, v));
    TrustedProxies proxies = get(env, TrustedProxies.SETTING).map(TrustedProxies::parse).orElse(TrustedProxies.NONE);
    return new AppConfig(port, database, jwtSecret, generated, pluginDir, cdnOrigin, artifacts, migrateOnStart, dataDir,
        bootstrapAdmin(env), rulesDir, Duration.ofSeconds(rulesReloadSeconds(get(env, RULES_RELOAD_SECONDS))),
        proxies, get(env, SecretCipher.SETTING).map(SecretCipher::parse),
        purpose == Purpose.SERVE ? evidenceSigningKey(get(env, Ed25519Keys.SETTING), artifacts) : Optional.empty(),
        WebhookSettings.read(env));
  }

  /**
   * Required with an artifacts bucket: evidence kept there must verify across restarts and replicas. Without one,
   * a local run keeps a key in its data folder, and a service on an external database signs with a key of its
   * process (the evidence domain warns).
   */
  private static Optional<PrivateKey> evidenceSigningKey(Optional<String> value, AppConfig.ArtifactStore store) {
    if (value.isEmpty() && store instanceof AppConfig.S3Bucket) {
      throw new ConfigException(Ed25519Keys.SETTING + " is required when ARTIFACTS_BUCKET is set: evidence in the"
          + " bucket must verify whichever replica signed it (for example: openssl genpkey -algorithm ed25519)");
    }
    return value.map(Ed25519Keys::parsePrivate);
  }

  /** A folder of compliance rule packs (YAML) beside the built-in ones. */
  public static final String RULES_DIR = "RULES_DIR";
  /** How often, in seconds, {@link #RULES_DIR} is looked at again for changed packs (1-3600). */
  public static final String RULES_RELOAD_SECONDS = "RULES_RELOAD_SECONDS";
  static final int DEFAULT_RULES_RELOAD_SECONDS = 10;

  private static int rulesReloadSeconds(Optional<String> value) {
    try {
      int seconds = Integer.parseInt(value.orElse(Integer.toString(DEFAULT_RULES_RELOAD_SECONDS)));
      if (seconds >= 1 && seconds <= 3600) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ConfigException(RULES_RELOAD_SECONDS + " must be a whole number of seconds from 1 to 3600, got \""
        + shorten(value.orElse("")) + "\"");
  }

  public static final String BOOTSTRAP_ADMIN_EMAIL = "INFRACAST_BOOTSTRAP_ADMIN_EMAIL";
  public static final String BOOTSTRAP_ADMIN_PASSWORD = "INFRACAST_BOOTSTRAP_ADMIN_PASSWORD";
  private static Optional<AppConfig.BootstrapAdmin> bootstrapAdmin(Map<String, String> env) {
    Optional<String> email = get(env, BOOTSTRAP_ADMIN_EMAIL);
    Optional<String> password = Optional.ofNullable(env.get(BOOTSTRAP_ADMIN_PASSWORD)).filter(p -> !p.isEmpty());
    if (email.isEmpty()) {
      if (password.isPresent()) {
        throw new ConfigException(BOOTSTRAP_ADMIN_PASSWORD + " is set without " + BOOTSTRAP_ADMIN_EMAIL);
      }
      return Optional.empty();
    }
    if (!CredentialRules.EMAIL.matcher(email.get()).matches()) {
      throw new ConfigException(BOOTSTRAP_ADMIN_EMAIL + " is not an email address (name@example.com)");
    }
    if (password.isPresent() && !CredentialRules.validPassword(password.get())) {
      throw new ConfigException(BOOTSTRAP_ADMIN_PASSWORD + " must be " + CredentialRules.MIN_PASSWORD_CHARS + " to "
          + CredentialRules.MAX_PASSWORD_CHARS + " characters long");
    }
    return Optional.of(new AppConfig.BootstrapAdmin(email.get(), password));
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  static int port(Optional<String> value) {
    if (value.isEmpty()) {
      return DEFAULT_API_PORT;
    }
    String v = value.get();
    int port;
    try {
      port = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException("API_PORT must be a TCP port number (1-65535), got \"" + shorten(v) + "\"");
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException("API_PORT is out of range: " + port + " (allowed 1-65535)");
    }
    return port;
  }

  private static Path path(String name, String v) {
    try {
      return Path.of(v);
    } catch (InvalidPathException e) {
      throw new ConfigException(name + " is not a valid path");
    }
  }

  private static URI httpUri(String name, String v) {
    URI uri;
    try {
      uri = new URI(v);
    } catch (URISyntaxException e) {
      throw new ConfigException(name + " is not a valid URL (expected https://host[:port])");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getUserInfo() != null) {
      throw new ConfigException(name + " must be an http(s) URL without credentials (expected https://host[:port])");
    }
    return uri;
  }

  /** CONTENT_CDN_URL becomes a CORS origin: scheme://host[:port], no path. */
  private static String origin(String name, String v) {
    URI uri = httpUri(name, v);
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
        + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
  }

  private static String shorten(String v) {
    return v.length() > 20 ? v.substring(0, 20) + "..." : v;
  }
}
