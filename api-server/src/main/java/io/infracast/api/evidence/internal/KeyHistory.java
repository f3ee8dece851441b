package io.infracast.api.evidence.internal;

import io.infracast.api.platform.db.Sql;
import io.infracast.api.platform.db.Transactions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every public key this service has signed evidence with (table {@code evidence_signing_keys}, V11), so that
 * evidence signed before a key rotation still verifies. The current key is recorded before it first signs
 * (idempotent: replicas starting at once record it once); rows are never changed, so a key once read is kept in
 * memory. Unknown ids are not cached: a caller could send any number of them.
 */
public final class KeyHistory {
  /** A recorded key and when a service first recorded it. */
  public record Recorded(VerifyingKey key, Instant firstSeenAt) {}

  private final Transactions transactions;
  private final SigningKey current;
  private final Map<String, VerifyingKey> known = new ConcurrentHashMap<>();
  private volatile boolean currentRecorded;

  public KeyHistory(Transactions transactions, SigningKey current) {
    this.transactions = transactions;
    this.current = current;
  }

  public SigningKey current() {
    return current;
  }

  /**
   * Records the current key if no service has yet. Done on first use rather than at start: a service may start
   * before the migration that creates the table has run (it then serves nothing until it has).
   */
  public void recordCurrent() {
    if (currentRecorded) {
      return;
    }
    transactions.acrossTenants(c -> Sql.update(c, "insert into evidence_signing_keys (key_id, algorithm,"
        + " public_key) values (?, ?, ?) on conflict (key_id) do nothing", current.id(), SigningKey.ALGORITHM,
        current.publicKey().der()));
    known.put(current.id(), current.publicKey());
    currentRecorded = true;
  }

  /** The key of this id, if this service ever recorded it. */
  public Optional<VerifyingKey> find(String keyId) {
    recordCurrent();
    VerifyingKey key = known.get(keyId);
    if (key != null) {
      return Optional.of(key);
    }
    Optional<VerifyingKey> found = transactions.acrossTenants(c -> Sql.one(c,
        "select public_key from evidence_signing_keys where key_id = ?", rs -> VerifyingKey.ofDer(rs.getBytes(1)),
        keyId));
    found.ifPresent(k -> known.put(keyId, k));
    return found;
  }

  /** Every recorded key, the oldest first. */
  public List<Recorded> all() {
    recordCurrent();
    return transactions.acrossTenants(c -> Sql.list(c, "select public_key, first_seen_at from evidence_signing_keys"
        + " order by first_seen_at, key_id", rs -> new Recorded(VerifyingKey.ofDer(rs.getBytes(1)),
            Sql.instant(rs, "first_seen_at"))));
  }
}
