package io.infracast.api.discovery.internal;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infracast.api.discovery.Credential;
import io.infracast.api.platform.crypto.SecretCipher;
import io.infracast.api.platform.db.Sql;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery credentials at rest: the SQL of {@code discovery_credentials} and the sealing of their secrets with
 * {@link SecretCipher}. A secret is only ever stored sealed, bound to its tenant and row; it is opened for the job
 * that runs with it, and a secret sealed with a key that is no longer the active one is sealed again with the active
 * key (when a job opens it, and by {@link #resealAll} when a replica starts).
 */
public final class CredentialVault {
  private static final Logger log = LoggerFactory.getLogger(CredentialVault.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS = "id, name, type, hint, key_id, created_by_type, created_by, created_at, "
      + "sealed_at";
  private static final int RESEAL_BATCH = 100;

  private final Optional<SecretCipher> cipher;

  public CredentialVault(Optional<SecretCipher> cipher) {
    this.cipher = cipher;
  }

  /** The cipher; 503 {@code NOT_CONFIGURED} when the service has no {@code ENCRYPTION_KEYS}. */
  public SecretCipher cipher() {
    return cipher.orElseThrow(() -> new ApiException(ErrorCode.NOT_CONFIGURED, "discovery credentials need "
        + SecretCipher.SETTING + ", which this service was started without", Map.of("setting", SecretCipher.SETTING)));
  }

  public void insert(Connection c, UUID tenant, UUID id, String name, String type, String hint, ObjectNode secret,
      String createdByType, String createdBy) throws SQLException {
    SecretCipher.Sealed sealed = cipher().seal(secret.toString().getBytes(StandardCharsets.UTF_8), context(tenant, id));
    Sql.update(c, "insert into discovery_credentials (id, tenant_id, name, type, hint, key_id, nonce, ciphertext, "
            + "created_by_type, created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id, tenant, name, type, hint, sealed.keyId(), sealed.nonce(), sealed.ciphertext(), createdByType, createdBy);
  }

  public Optional<Credential> get(Connection c, UUID id) throws SQLException {
    return Sql.one(c, "select " + COLUMNS + " from discovery_credentials where id = ?", CredentialVault::credential,
        id);
  }

  /** A page of the tenant's credentials by name, and how many there are. */
  public Map.Entry<List<Credential>, Long> list(Connection c, int limit, int offset) throws SQLException {
    return Sql.page(c, COLUMNS, "discovery_credentials", "", List.of(), "name", "id", false,
        CredentialVault::credential, limit, offset);
  }

  public boolean delete(Connection c, UUID id) throws SQLException {
    return Sql.update(c, "delete from discovery_credentials where id = ?", id) == 1;
  }

  /**
   * The credential's secret as stored (what a plugin gets as {@code credential}), read in the tenant's
   * transaction; sealed again with the active key when it was sealed with another.
   *
   * @throws Unavailable when it is gone or cannot be opened, saying why (never what it holds)
   */
  public ObjectNode open(Transactions transactions, UUID tenant, UUID id) throws Unavailable {
    SecretCipher active = cipher.orElseThrow(() -> new Unavailable("credential " + id + " is unreadable: "
        + SecretCipher.SETTING + " is not set on this replica"));
    try {
      return transactions.inTenant(tenant, c -> {
        Optional<Stored> stored = Sql.one(c, "select id, tenant_id, key_id, nonce, ciphertext "
            + "from discovery_credentials where id = ? for update", CredentialVault::stored, id);
        if (stored.isEmpty()) {
          throw new UncheckedUnavailable("credential " + id + " was deleted");
        }
        return readSecret(openAndRotate(c, active, stored.get()));
      });
    } catch (UncheckedUnavailable e) {
      throw new Unavailable(e.getMessage());
    } catch (SecretCipher.UnreadableSecretException e) {
      throw new Unavailable("credential " + id + " is unreadable: " + e.getMessage());
    }
  }

  /**
   * Seals every secret sealed with another key than the active one again with the active key (a replica starting
   * after a rotation). Secrets that do not open are left as they are and logged (their key is gone).
   *
   * @return how many it sealed again
   */
  public int resealAll(Transactions transactions) {
    if (cipher.isEmpty()) {
      return 0;
    }
    SecretCipher active = cipher.get();
    int[] resealed = {0};
    // The lowest id as PostgreSQL orders uuids (bytewise, unsigned).
    UUID after = new UUID(0, 0);
    while (true) {
      UUID from = after;
      // Rows another replica is sealing again at this moment are skipped: it does them.
      List<Stored> batch = transactions.acrossTenants(c -> {
        List<Stored> rows = Sql.list(c, "select id, tenant_id, key_id, nonce, ciphertext from "
            + "discovery_credentials where key_id <> ? and id > ? order by id limit ? for update skip locked",
            CredentialVault::stored, active.activeKeyId(), from, RESEAL_BATCH);
        for (Stored row : rows) {
          try {
            openAndRotate(c, active, row);
            resealed[0]++;
          } catch (SecretCipher.UnreadableSecretException e) {
            log.warn("discovery credential {} of tenant {} cannot be sealed again: {}", row.id(), row.tenant(),
                e.getMessage());
          }
        }
        return rows;
      });
      if (batch.isEmpty()) {
        break;
      }
      after = batch.get(batch.size() - 1).id();
    }
    if (resealed[0] > 0) {
      log.info("sealed discovery credentials again with the active encryption key", kv("credentials", resealed[0]),
          kv("key_id", active.activeKeyId()));
    }
    return resealed[0];
  }

  private static byte[] openAndRotate(Connection c, SecretCipher active, Stored row) throws SQLException {
    String context = context(row.tenant(), row.id());
    byte[] plain = active.open(row.sealed(), context);
    if (active.needsRotation(row.sealed())) {
      SecretCipher.Sealed again = active.seal(plain, context);
      Sql.update(c, "update discovery_credentials set key_id = ?, nonce = ?, ciphertext = ?, sealed_at = now() "
          + "where id = ?", again.keyId(), again.nonce(), again.ciphertext(), row.id());
    }
    return plain;
  }

  /** The associated data: a ciphertext opens only in the row (and tenant) it was sealed for. */
  private static String context(UUID tenant, UUID id) {
    return "discovery_credentials:" + tenant + ":" + id;
  }

  private static ObjectNode readSecret(byte[] plain) throws SQLException {
    try {
      return (ObjectNode) JSON.readTree(new String(plain, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SQLException("a discovery credential's secret is not JSON");
    }
  }

  private record Stored(UUID id, UUID tenant, SecretCipher.Sealed sealed) {}

  private static Stored stored(ResultSet rs) throws SQLException {
    return new Stored(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), new SecretCipher.Sealed(
        rs.getString(3), rs.getBytes(4), rs.getBytes(5)));
  }

  private static Credential credential(ResultSet rs) throws SQLException {
    return new Credential(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), Map.of("type", rs.getString(6), "id", rs.getString(7)), Sql.instant(rs, "created_at"),
        Sql.instant(rs, "sealed_at"));
  }

  /** A credential a job cannot run with: deleted, or not openable; the message is the job's error. */
  public static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  /** {@link Unavailable} through a transaction's work, which may throw only unchecked exceptions and SQL ones. */
  private static final class UncheckedUnavailable extends RuntimeException {
    UncheckedUnavailable(String message) {
      super(message, null, false, false);
    }
  }
}
