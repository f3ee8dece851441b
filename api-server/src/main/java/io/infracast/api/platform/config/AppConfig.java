package io.infracast.api.platform.config;

import io.infracast.api.platform.crypto.SecretCipher;
import io.infracast.api.platform.security.TrustedProxies;
import io.infracast.contract.DatabaseUrl;
import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Optional;

/**
 * The service configuration, read once from the environment by {@link ConfigLoader}.
 *
 * @param port HTTP port ({@code API_PORT})
 * @param database external database, or empty for the embedded local-only PostgreSQL
 * @param jwtSecret HMAC key for session tokens; never logged
 * @param jwtSecretGenerated true when the secret was generated for embedded mode
 * @param pluginDir discovery plugins folder ({@code PLUGIN_DIR})
 * @param contentCdnOrigin allowed CORS origin ({@code CONTENT_CDN_URL}), empty = same origin only
 * @param artifacts evidence artifact store
 * @param migrateOnStart run migrations before serving ({@code MIGRATE_ON_START})
 * @param dataDir local data folder (embedded PostgreSQL, local artifact store)
 * @param bootstrapAdmin the first system admin's email and password, when set
 * @param rulesDir a folder of compliance rule packs beside the built-in ones ({@code RULES_DIR})
 * @param rulesReload how often that folder is looked at again ({@code RULES_RELOAD_SECONDS})
 * @param trustedProxies the proxies whose {@code X-Forwarded-For} names the client ({@code TRUSTED_PROXIES})
 * @param encryption the keys that seal stored secrets ({@code ENCRYPTION_KEYS}), when set
 * @param evidenceSigningKey the Ed25519 key evidence is signed with ({@code EVIDENCE_SIGNING_KEY}); never logged
 * @param webhooks how webhooks are delivered ({@code WEBHOOK_*})
 */
public record AppConfig(
    int port,
    Optional<DatabaseUrl> database,
    String jwtSecret,
    boolean jwtSecretGenerated,
    Path pluginDir,
    Optional<String> contentCdnOrigin,
    ArtifactStore artifacts,
    boolean migrateOnStart,
    Path dataDir,
    Optional<BootstrapAdmin> bootstrapAdmin,
    Optional<Path> rulesDir,
    Duration rulesReload,
    TrustedProxies trustedProxies,
    Optional<SecretCipher> encryption,
    Optional<PrivateKey> evidenceSigningKey,
    WebhookSettings webhooks) {

  public boolean embeddedDatabase() {
    return database.isEmpty();
  }

  public Path embeddedPostgresDir() {
    return dataDir.resolve("postgres");
  }

  /** Where evidence artifacts go: an S3(-compatible) bucket, or a local folder. */
  public sealed interface ArtifactStore permits S3Bucket, LocalFolder {}

  /** {@code ARTIFACTS_BUCKET} in {@code AWS_REGION}; {@code AWS_ENDPOINT_URL} for S3-compatible stores (path-style). */
  public record S3Bucket(String bucket, String region, Optional<URI> endpoint) implements ArtifactStore {}

  public record LocalFolder(Path path) implements ArtifactStore {}

  /**
   * {@code INFRACAST_BOOTSTRAP_ADMIN_EMAIL} and, optionally, {@code INFRACAST_BOOTSTRAP_ADMIN_PASSWORD}: the
   * system admin created on a database without one (a random one-time password is logged when none is given).
   */
  public record BootstrapAdmin(String email, Optional<String> password) {
    @Override
    public String toString() {
      return email + (password.isPresent() ? " (password set)" : "");
    }
  }

  /** Safe to log: no password, no JWT secret. */
  @Override
  public String toString() {
    return "AppConfig[port=" + port
        + ", database=" + database.map(DatabaseUrl::redacted).orElse("embedded")
        + ", jwtSecret=" + (jwtSecretGenerated ? "generated" : "****")
        + ", pluginDir=" + pluginDir
        + ", contentCdnOrigin=" + contentCdnOrigin.orElse("same-origin")
        + ", artifacts=" + artifacts
        + ", migrateOnStart=" + migrateOnStart
        + ", dataDir=" + dataDir
        + ", bootstrapAdmin=" + bootstrapAdmin.map(BootstrapAdmin::toString).orElse("default")
        + ", rulesDir=" + rulesDir.map(Path::toString).orElse("none")
        + ", rulesReload=" + rulesReload.toSeconds() + "s"
        + ", trustedProxies=" + trustedProxies
        + ", encryption=" + encryption.map(SecretCipher::toString).orElse("none")
        + ", evidenceSigningKey=" + (evidenceSigningKey.isPresent() ? "****" : "generated")
        + ", webhooks=[" + webhooks + "]]";
  }
}
