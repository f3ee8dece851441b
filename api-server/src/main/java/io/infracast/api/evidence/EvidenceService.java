package io.infracast.api.evidence;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.databind.JsonNode;
import io.infracast.api.compliance.Assessment;
import io.infracast.api.evidence.internal.Artifacts;
import io.infracast.api.evidence.internal.Bundles;
import io.infracast.api.evidence.internal.Canonical;
import io.infracast.api.evidence.internal.EvidenceRepository;
import io.infracast.api.evidence.internal.EvidenceStore;
import io.infracast.api.evidence.internal.KeyHistory;
import io.infracast.api.evidence.internal.SigningKey;
import io.infracast.api.evidence.internal.Verifier;
import io.infracast.api.evidence.internal.VerifyingKey;
import io.infracast.api.platform.config.AppConfig;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.AuthContext;
import java.io.IOException;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evidence domain's door: after each compliance evaluation of a tenant it signs one artifact per assessed
 * control (Ed25519) and keeps it in the artifact store under the tenant's prefix, indexed in the database; callers
 * list and read them, download a bundle, and anyone may verify an artifact or bundle against the public key it
 * names, the current one or one the service signed with before a key rotation.
 */
public final class EvidenceService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EvidenceService.class);
  /** Artifacts written to the store at once: an S3 PUT is a round trip of its own, and a pack has dozens. */
  static final int STORE_WRITERS = 8;

  private final Transactions transactions;
  private final EvidenceStore store;
  private final SigningKey key;
  private final KeyHistory keys;
  private final Verifier verifier;
  private final Clock clock;
  private final EvidenceRepository repository = new EvidenceRepository();
  private final ExecutorService writers = Executors.newFixedThreadPool(STORE_WRITERS, r -> {
    Thread t = new Thread(r, "evidence-store");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param signingKey the Ed25519 key ({@code EVIDENCE_SIGNING_KEY}); when empty, one is generated for this
   *     process, with a warning (what it signs still verifies, its public key being recorded, but nobody holds it)
   */
  public EvidenceService(Transactions transactions, AppConfig.ArtifactStore artifacts,
      Optional<PrivateKey> signingKey, Clock clock) {
    this.transactions = transactions;
    this.key = signingKey.map(SigningKey::of).orElseGet(SigningKey::generate);
    if (signingKey.isEmpty()) {
      log.warn("EVIDENCE_SIGNING_KEY is not set: evidence is signed with a key generated for this process ({}),"
          + " which every start replaces (what it signs still verifies: its public key is recorded). Set it for"
          + " anything but a trial run (api-server/README.md, Evidence)", key.id());
    }
    this.keys = new KeyHistory(transactions, key);
    this.verifier = new Verifier(keys);
    this.clock = clock;
    this.store = EvidenceStore.of(artifacts);
    log.info("evidence", kv("store", store.location()), kv("key_id", key.id()));
  }

  @Override
  public void close() {
    writers.shutdownNow();
    store.close();
  }

  /**
   * Signs one artifact per control of {@code assessment}, stores them ({@link #STORE_WRITERS} at a time), then
   * indexes them in one statement: an artifact is listed only once it is stored. A store that fails throws (the
   * evaluation logs it) and indexes nothing.
   */
  public void record(UUID tenant, Assessment assessment) {
    long start = System.nanoTime();
    keys.recordCurrent(); // before anything it signs can be read
    List<EvidenceSummary> rows = new ArrayList<>();
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (Assessment.Control control : assessment.controls()) {
      Artifacts.Signed signed = Artifacts.sign(tenant, assessment, control, key);
      puts.add(CompletableFuture.runAsync(() -> store.put(signed.summary().objectKey(), signed.bytes()), writers));
      rows.add(signed.summary());
    }
    try {
      CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    transactions.inTenant(tenant, c -> {
      repository.insert(c, tenant, rows);
      return null;
    });
    log.info("evidence signed", kv("tenant_id", tenant), kv("evaluation_id", assessment.evaluationId()),
        kv("artifacts", rows.size()), kv("ms", (System.nanoTime() - start) / 1_000_000));
  }

  public Map<String, Object> list(AuthContext auth, EvidenceFilter filter, Page page) {
    return transactions.inTenant(auth.tenantId(), c -> {
      Map.Entry<List<EvidenceSummary>, Long> found = repository.page(c, filter, page.perPage(), page.offset());
      return page.body(found.getKey(), found.getValue());
    });
  }

  /** The signed artifact as stored: {@code artifact}, {@code content_hash}, {@code signature}, {@code key_id}. */
  public JsonNode get(AuthContext auth, String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound(id);
    }
    EvidenceSummary summary = transactions.inTenant(auth.tenantId(), c -> repository.one(c, uuid))
        .orElseThrow(() -> notFound(id));
    try {
      return Canonical.read(stored(summary));
    } catch (IOException e) {
      throw new ApiException(ErrorCode.INTERNAL_ERROR, "evidence " + id + " in the artifact store is not JSON");
    }
  }

  /** A ZIP of the latest evaluation's artifacts (of {@code framework}'s controls, when given) and a signed manifest. */
  public byte[] bundle(AuthContext auth, Optional<String> framework) {
    List<EvidenceSummary> latest = transactions.inTenant(auth.tenantId(), c -> repository.latest(c, framework));
    if (latest.isEmpty()) {
      throw ApiException.notFound("no evidence" + framework.map(f -> " of framework " + f).orElse("")
          + " yet: evidence is signed after each compliance evaluation (POST findings/run, or a discovery job)");
    }
    List<Bundles.Entry> entries = latest.stream().map(s -> new Bundles.Entry(s, stored(s))).toList();
    keys.recordCurrent();
    return Bundles.write(auth.tenantId(), entries, key, clock.instant());
  }

  private byte[] stored(EvidenceSummary summary) {
    return store.get(summary.objectKey()).orElseThrow(() -> new ApiException(ErrorCode.INTERNAL_ERROR,
        "evidence " + summary.id() + " is indexed but missing from the artifact store (" + summary.objectKey()
            + ")"));
  }

  /** The public key that verifies what the service signs now: its id, algorithm, the key as base64 DER and PEM. */
  public Map<String, Object> publicKey() {
    return describe(key.publicKey());
  }

  /**
   * Every public key the service has signed evidence with, the oldest first, each as {@link #publicKey} with when
   * it was first used and whether it is the current one: what an auditor needs to verify old evidence offline.
   */
  public Map<String, Object> publicKeys() {
    List<Map<String, Object>> items = new ArrayList<>();
    for (KeyHistory.Recorded r : keys.all()) {
      Map<String, Object> m = describe(r.key());
      m.put("current", r.key().id().equals(key.id()));
      m.put("first_seen_at", r.firstSeenAt().toString());
      items.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("current_key_id", key.id());
    body.put("items", items);
    return body;
  }

  private static Map<String, Object> describe(VerifyingKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key_id", k.id());
    m.put("algorithm", SigningKey.ALGORITHM);
    m.put("public_key", Base64.getEncoder().encodeToString(k.der()));
    m.put("public_key_pem", k.pem());
    return m;
  }

  /** Verifies a signed artifact (as {@link #get} returns it). */
  public Verification verifyArtifact(JsonNode envelope) {
    return verifier.artifact(envelope);
  }

  /** Verifies a bundle ZIP (as {@link #bundle} returns it). */
  public Verification verifyBundle(byte[] zip) {
    return verifier.bundle(zip);
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("evidence " + id + " not found");
  }
}
