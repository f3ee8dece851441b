package io.infracast.api.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.infracast.api.platform.config.ConfigLoader.Purpose;
import io.infracast.contract.ConfigException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String DB = "postgres://app:p%40ss-w0rd!@db.internal:5432/infracast?sslmode=require";

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void defaultsWithoutAnything() {
    AppConfig c = ConfigLoader.load(env(), Purpose.SERVE);
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.embeddedDatabase()).isTrue();
    assertThat(c.jwtSecretGenerated()).isTrue();
    assertThat(c.jwtSecret().length()).isGreaterThanOrEqualTo(32);
    assertThat(c.migrateOnStart()).isTrue();
    assertThat(c.pluginDir()).isEqualTo(Path.of("/usr/local/lib/infracast/plugins"));
    assertThat(c.contentCdnOrigin()).isEmpty();
    assertThat(c.artifacts()).isEqualTo(new AppConfig.LocalFolder(Path.of("./data/artifacts")));
    assertThat(c.embeddedPostgresDir()).isEqualTo(Path.of("./data/postgres"));
    assertThat(c.rulesDir()).isEmpty();
    assertThat(c.rulesReload()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void rulePacksFolderAndHowOftenItIsLookedAt() {
    AppConfig c = ConfigLoader.load(env("RULES_DIR", "/etc/infracast/rules", "RULES_RELOAD_SECONDS", "30"),
        Purpose.SERVE);
    assertThat(c.rulesDir()).hasValue(Path.of("/etc/infracast/rules"));
    assertThat(c.rulesReload()).isEqualTo(Duration.ofSeconds(30));
    for (String bad : new String[] {"0", "3601", "10s"}) {
      assertThatThrownBy(() -> ConfigLoader.load(env("RULES_RELOAD_SECONDS", bad), Purpose.SERVE))
          .isInstanceOf(ConfigException.class)
          .hasMessage("RULES_RELOAD_SECONDS must be a whole number of seconds from 1 to 3600, got \"" + bad + "\"");
    }
  }

  @Test
  void webhookDeliverySettings() {
    WebhookSettings defaults = ConfigLoader.load(env(), Purpose.SERVE).webhooks();
    assertThat(defaults.timeout()).as("the product's 30 s").isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.maxAttempts()).isEqualTo(8);
    assertThat(defaults.retryBase()).isEqualTo(Duration.ofSeconds(15));
    assertThat(defaults.allowedNetworks()).isEmpty();
    WebhookSettings set = ConfigLoader.load(env("WEBHOOK_TIMEOUT_MS", "500", "WEBHOOK_MAX_ATTEMPTS", "3",
        "WEBHOOK_RETRY_BASE_MS", "100", "WEBHOOK_ALLOWED_NETWORKS", "10.20.0.0/16, fd00::/8"), Purpose.SERVE)
        .webhooks();
    assertThat(set.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(set.maxAttempts()).isEqualTo(3);
    assertThat(set.retryBase()).isEqualTo(Duration.ofMillis(100));
    assertThat(set.allowedNetworks().orElseThrow().contains(new byte[] {10, 20, 7, 1})).isTrue();
    assertThat(set.allowedNetworks().orElseThrow().contains(new byte[] {10, 21, 7, 1})).isFalse();
    assertThatThrownBy(() -> ConfigLoader.load(env("WEBHOOK_TIMEOUT_MS", "60000"), Purpose.SERVE))
        .isInstanceOf(ConfigException.class)
        .hasMessage("WEBHOOK_TIMEOUT_MS must be a whole number from 100 to 30000, got \"60000\"");
    assertThatThrownBy(() -> ConfigLoader.load(env("WEBHOOK_ALLOWED_NETWORKS", "hooks.example.com"), Purpose.SERVE))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("WEBHOOK_ALLOWED_NETWORKS: \"hooks.example.com\" is not an IP address or CIDR block");
  }

  @Test
  void fullExternalConfiguration() throws Exception {
    AppConfig c = ConfigLoader.load(env("API_PORT", "9090", "DATABASE_URL", DB, "JWT_SECRET", SECRET,
        "PLUGIN_DIR", "/opt/plugins", "CONTENT_CDN_URL", "https://CDN.example.com/app/", "ARTIFACTS_BUCKET",
        "acme-evidence", "AWS_REGION", "eu-west-1", "AWS_ENDPOINT_URL", "http://127.0.0.1:9000",
        "MIGRATE_ON_START", "TRUE", "EVIDENCE_SIGNING_KEY", ed25519Key()), Purpose.SERVE);
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.database()).isPresent();
    assertThat(c.database().get().password()).isEqualTo("p@ss-w0rd!");
    assertThat(c.jwtSecret()).isEqualTo(SECRET);
    assertThat(c.jwtSecretGenerated()).isFalse();
    assertThat(c.pluginDir()).isEqualTo(Path.of("/opt/plugins"));
    assertThat(c.contentCdnOrigin()).hasValue("https://cdn.example.com");
    assertThat(c.artifacts()).isInstanceOfSatisfying(AppConfig.S3Bucket.class, s -> {
      assertThat(s.bucket()).isEqualTo("acme-evidence");
      assertThat(s.region()).isEqualTo("eu-west-1");
      assertThat(s.endpoint()).get().hasToString("http://127.0.0.1:9000");
    });
    assertThat(c.migrateOnStart()).isTrue();
    assertThat(c.toString()).doesNotContain("p@ss-w0rd!").doesNotContain("p%40ss").doesNotContain(SECRET);
  }

  @Test
  void migrateOnStartDefaultsToFalseWithAnExternalDatabase() {
    assertThat(ConfigLoader.load(env("DATABASE_URL", DB, "JWT_SECRET", SECRET), Purpose.SERVE).migrateOnStart())
        .isFalse();
  }

  @Test
  void readsSeveralHostsAndARawAtSignInThePasswordAsTheOperatorDoes() {
    // The operator's old java.net.URI check refused this URL (no single host); both now read it with DatabaseUrl.
    AppConfig c = ConfigLoader.load(env("DATABASE_URL", "postgresql://app:p@ss@h1:5432,h2:5433/app?sslmode=require",
        "JWT_SECRET", SECRET), Purpose.SERVE);
    assertThat(c.database()).get().satisfies(d -> {
      assertThat(d.hosts()).isEqualTo("h1:5432,h2:5433");
      assertThat(d.user()).isEqualTo("app");
      assertThat(d.password()).isEqualTo("p@ss");
      assertThat(d.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/app?sslmode=require");
    });
    assertThat(c.toString()).contains("postgresql://app:****@h1:5432,h2:5433/app").doesNotContain("p@ss");
  }

  @Test
  void migrateOnStartIsTrueOrFalseOnly() {
    assertThat(ConfigLoader.load(env("MIGRATE_ON_START", "False"), Purpose.SERVE).migrateOnStart()).isFalse();
    for (String other : new String[] {"1", "yes", "on"}) {
      assertThatThrownBy(() -> ConfigLoader.load(env("MIGRATE_ON_START", other), Purpose.SERVE))
          .isInstanceOf(ConfigException.class)
          .hasMessage("MIGRATE_ON_START must be true or false, got \"" + other + "\"");
    }
  }

  @Test
  void migrateNeedsNoJwtSecretAndNoPort() {
    AppConfig c = ConfigLoader.load(env("DATABASE_URL", DB, "API_PORT", "not-used"), Purpose.MIGRATE);
    assertThat(c.database()).isPresent();
  }

  @Test
  void missingJwtSecretWithDatabase() {
    assertThatThrownBy(() -> ConfigLoader.load(env("DATABASE_URL", DB), Purpose.SERVE))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("JWT_SECRET is required when DATABASE_URL is set")
        .hasMessageNotContaining("p@ss-w0rd!");
  }

  @Test
  void shortJwtSecret() {
    assertThatThrownBy(() -> ConfigLoader.load(env("DATABASE_URL", DB, "JWT_SECRET", "too-short-secret"),
        Purpose.SERVE))
        .isInstanceOf(ConfigException.class)
        .hasMessage("JWT_SECRET is too short (16 bytes): it must be at least 32 bytes of random data");
    // Also refused in embedded mode when given.
    assertThatThrownBy(() -> ConfigLoader.load(env("JWT_SECRET", "short"), Purpose.SERVE))
        .hasMessageStartingWith("JWT_SECRET is too short");
  }

  @Test
  void badPorts() {
    assertThatThrownBy(() -> ConfigLoader.load(env("API_PORT", "http"), Purpose.SERVE))
        .isInstanceOf(ConfigException.class)
        .hasMessage("API_PORT must be a TCP port number (1-65535), got \"http\"");
    assertThatThrownBy(() -> ConfigLoader.load(env("API_PORT", "70000"), Purpose.SERVE))
        .hasMessage("API_PORT is out of range: 70000 (allowed 1-65535)");
    assertThatThrownBy(() -> ConfigLoader.load(env("API_PORT", "0"), Purpose.SERVE))
        .hasMessage("API_PORT is out of range: 0 (allowed 1-65535)");
    assertThatThrownBy(() -> ConfigLoader.load(env("API_PORT", "-1"), Purpose.SERVE))
        .hasMessageStartingWith("API_PORT is out of range");
  }

  @Test
  void badDatabaseUrlNeverEchoesIt() {
    assertThatThrownBy(() -> ConfigLoader.load(env("DATABASE_URL", "mysql://root:topsecret@db/x",
        "JWT_SECRET", SECRET), Purpose.SERVE))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("DATABASE_URL is not a valid PostgreSQL URL: unsupported scheme")
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> ConfigLoader.load(env("DATABASE_URL", "postgres://u:topsecret@db:54x/x",
        "JWT_SECRET", SECRET), Purpose.SERVE))
        .hasMessageStartingWith("DATABASE_URL is not a valid PostgreSQL URL: the port is not a number")
        .hasMessageNotContaining("topsecret");
  }

  @Test
  void otherBadSettings() {
    assertThatThrownBy(() -> ConfigLoader.load(env("MIGRATE_ON_START", "maybe"), Purpose.SERVE))
        .hasMessage("MIGRATE_ON_START must be true or false, got \"maybe\"");
    assertThatThrownBy(() -> ConfigLoader.load(env("CONTENT_CDN_URL", "ftp://cdn"), Purpose.SERVE))
        .hasMessageStartingWith("CONTENT_CDN_URL must be an http(s) URL");
    assertThatThrownBy(() -> ConfigLoader.load(env("ARTIFACTS_BUCKET", "acme-evidence"), Purpose.SERVE))
        .hasMessageStartingWith("AWS_REGION is required when ARTIFACTS_BUCKET is set");
    assertThatThrownBy(() -> ConfigLoader.load(env("ARTIFACTS_BUCKET", "Bad_Bucket", "AWS_REGION", "x"),
        Purpose.SERVE))
        .hasMessageStartingWith("ARTIFACTS_BUCKET is not a valid S3 bucket name");
    assertThatThrownBy(() -> ConfigLoader.load(env("ARTIFACTS_BUCKET", "acme", "AWS_REGION", "x",
        "AWS_ENDPOINT_URL", "http://key:secret@minio:9000"), Purpose.SERVE))
        .hasMessageStartingWith("AWS_ENDPOINT_URL must be an http(s) URL without credentials")
        .hasMessageNotContaining("secret");
  }

  @Test
  void theEvidenceSigningKeyIsAnEd25519PrivateKeyAsPemOrBase64() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String base64 = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
    String pem = "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    for (String value : new String[] {pem, base64}) {
      AppConfig c = ConfigLoader.load(env("EVIDENCE_SIGNING_KEY", value), Purpose.SERVE);
      assertThat(c.evidenceSigningKey()).get().extracting(PrivateKey::getEncoded)
          .isEqualTo(pair.getPrivate().getEncoded());
      assertThat(c.toString()).doesNotContain(base64.substring(0, 20)).contains("evidenceSigningKey=****");
    }
    assertThat(ConfigLoader.load(env(), Purpose.SERVE).evidenceSigningKey()).isEmpty();
    String rsa = Base64.getEncoder().encodeToString(KeyPairGenerator.getInstance("RSA").generateKeyPair()
        .getPrivate().getEncoded());
    for (String bad : new String[] {"not base64!", rsa, base64.substring(0, 20)}) {
      assertThatThrownBy(() -> ConfigLoader.load(env("EVIDENCE_SIGNING_KEY", bad), Purpose.SERVE))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("EVIDENCE_SIGNING_KEY is not an Ed25519 private key");
    }
    assertThat(ConfigLoader.load(env("EVIDENCE_SIGNING_KEY", "not base64!"), Purpose.MIGRATE).evidenceSigningKey())
        .as("migrate signs nothing").isEmpty();
    assertThatThrownBy(() -> ConfigLoader.load(env("ARTIFACTS_BUCKET", "acme", "AWS_REGION", "x"), Purpose.SERVE))
        .as("a bucket's evidence must verify whichever replica signed it")
        .hasMessageStartingWith("EVIDENCE_SIGNING_KEY is required when ARTIFACTS_BUCKET is set");
  }

  private static String ed25519Key() throws Exception {
    return Base64.getEncoder().encodeToString(
        KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());
  }

  @Test
  void trustedProxiesAreAddressesOrCidrBlocks() {
    assertThat(ConfigLoader.load(env(), Purpose.SERVE).trustedProxies()).hasToString("none");
    assertThat(ConfigLoader.load(env("TRUSTED_PROXIES", " 10.0.0.0/16, 192.168.1.7 ,fd00::/8,"), Purpose.SERVE)
        .trustedProxies()).hasToString("10.0.0.0/16,192.168.1.7/32,fd00:0:0:0:0:0:0:0/8");
    String expected = " (expected addresses or CIDR blocks separated by commas, for example 10.0.0.0/16,fd00::/8)";
    assertThatThrownBy(() -> ConfigLoader.load(env("TRUSTED_PROXIES", "10.0.0.0/16,alb.internal"), Purpose.SERVE))
        .isInstanceOf(ConfigException.class)
        .hasMessage("TRUSTED_PROXIES: \"alb.internal\" is not an IP address or CIDR block" + expected);
    assertThatThrownBy(() -> ConfigLoader.load(env("TRUSTED_PROXIES", "10.0.0.0/33"), Purpose.SERVE))
        .hasMessage("TRUSTED_PROXIES: \"10.0.0.0/33\" has a prefix length outside 0-32" + expected);
    assertThatThrownBy(() -> ConfigLoader.load(env("TRUSTED_PROXIES", "10.1.2.3/8"), Purpose.SERVE))
        .hasMessage("TRUSTED_PROXIES: \"10.1.2.3/8\" has bits set after the prefix (did you mean 10.0.0.0/8?)"
            + expected);
    assertThatThrownBy(() -> ConfigLoader.load(env("TRUSTED_PROXIES", "256.0.0.0/8"), Purpose.SERVE))
        .hasMessageStartingWith("TRUSTED_PROXIES: \"256.0.0.0/8\" is not an IP address");
    assertThatThrownBy(() -> ConfigLoader.load(env("TRUSTED_PROXIES", "10.0.0.0/x"), Purpose.SERVE))
        .hasMessageStartingWith("TRUSTED_PROXIES: \"10.0.0.0/x\" has a prefix length outside 0-32");
  }
}
