package io.infracast.contract;

/**
 * The service's environment: the names the operator writes into the ConfigMap and the pod spec, and the names
 * the service reads, with the defaults both sides must agree on.
 */
public final class RuntimeSettings {

  /** HTTP port of the service, 1-65535. */
  public static final String API_PORT = "API_PORT";
  /** PostgreSQL URL, parsed by {@link DatabaseUrl}; always from a Secret, never from the ConfigMap. */
  public static final String DATABASE_URL = "DATABASE_URL";
  /** HMAC key for session tokens, at least {@link #MIN_JWT_SECRET_BYTES}; always from a Secret. */
  public static final String JWT_SECRET = "JWT_SECRET";
  public static final String PLUGIN_DIR = "PLUGIN_DIR";
  public static final String CONTENT_CDN_URL = "CONTENT_CDN_URL";
  public static final String ARTIFACTS_BUCKET = "ARTIFACTS_BUCKET";
  public static final String AWS_REGION = "AWS_REGION";
  public static final String AWS_DEFAULT_REGION = "AWS_DEFAULT_REGION";
  public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
  /** Whether {@code serve} migrates before listening; read with {@link BooleanSetting}. */
  public static final String MIGRATE_ON_START = "MIGRATE_ON_START";
  public static final String DATA_DIR = "DATA_DIR";
  public static final String DB_CONNECT_RETRY_SECONDS = "DB_CONNECT_RETRY_SECONDS";
  /** AES-256 keys sealing stored secrets ({@code id:base64} entries, the first seals); always from a Secret. */
  public static final String ENCRYPTION_KEYS = "ENCRYPTION_KEYS";
  /** Ed25519 private key signing evidence (base64 of its PKCS#8 encoding); always from a Secret. */
  public static final String EVIDENCE_SIGNING_KEY = "EVIDENCE_SIGNING_KEY";

  public static final int DEFAULT_API_PORT = 8080;
  public static final String DEFAULT_PLUGIN_DIR = "/usr/local/lib/infracast/plugins";
  public static final int MIN_JWT_SECRET_BYTES = 32;

  private RuntimeSettings() {}
}
