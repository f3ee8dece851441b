package io.infracast.api.integrations;

import io.infracast.api.audit.AuditService;
import io.infracast.api.integrations.internal.Dispatcher;
import io.infracast.api.integrations.internal.IntegrationRepository;
import io.infracast.api.integrations.internal.TargetPolicy;
import io.infracast.api.platform.config.WebhookSettings;
import io.infracast.api.platform.crypto.SecretCipher;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.events.Outbox;
import io.infracast.api.platform.http.ApiException;
import io.infracast.api.platform.http.ErrorCode;
import io.infracast.api.platform.http.Page;
import io.infracast.api.platform.security.AuthContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The integrations domain's door: a tenant's webhooks (create, list, read, delete, their recent deliveries) and the
 * replica's {@link Dispatcher}, which sends them the events the other domains publish in the outbox. A webhook's
 * signing secret is generated here, shown once and stored sealed with {@code ENCRYPTION_KEYS}.
 */
public final class IntegrationsService implements AutoCloseable {
  /** The events a webhook can subscribe to. */
  public static final List<String> EVENTS = List.of("finding.created", "finding.severity_changed", "job.completed",
      "job.failed");
  public static final Set<String> DELIVERY_STATUSES = Set.of("pending", "succeeded", "failed");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Transactions transactions;
  private final AuditService audit;
  private final Optional<SecretCipher> cipher;
  private final TargetPolicy policy;
  private final Dispatcher dispatcher;
  private final IntegrationRepository repository = new IntegrationRepository();

  /**
   * @param cipher seals signing secrets; empty: creating a webhook answers 503 and deliveries wait
   * @param ready whether the schema is current (the dispatcher waits until it is)
   */
  public IntegrationsService(Transactions transactions, AuditService audit, Optional<SecretCipher> cipher,
      WebhookSettings settings, BooleanSupplier ready) {
    this.transactions = transactions;
    this.audit = audit;
    this.cipher = cipher;
    this.policy = new TargetPolicy(settings.allowedNetworks());
    this.dispatcher = new Dispatcher(transactions, cipher, settings, policy, ready);
  }

  /** Starts this replica's dispatcher. */
  public void start() {
    dispatcher.start();
  }

  /** What a new webhook is given: {@code url} checked here, {@code events} a non-empty subset of {@link #EVENTS}. */
  public record NewWebhook(String name, String url, List<String> events, boolean enabled) {}

  /** Creates a webhook; the answer holds its signing secret, which is never shown again. */
  public Integration create(AuthContext auth, NewWebhook input) {
    SecretCipher sealer = cipher.orElseThrow(() -> new ApiException(ErrorCode.NOT_CONFIGURED,
        "webhooks need ENCRYPTION_KEYS (their signing secrets are stored encrypted): the service was started"
            + " without it", Map.of("setting", SecretCipher.SETTING)));
    URI url;
    try {
      url = policy.check(input.url());
    } catch (TargetPolicy.Refused e) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "field 'url' " + e.getMessage(),
          Map.of("field", "url", "reason", "target_not_allowed"));
    }
    for (String event : input.events()) {
      if (!EVENTS.contains(event)) {
        throw new ApiException(ErrorCode.BAD_REQUEST, "unknown event '" + shorten(event) + "': webhooks can be sent "
            + String.join(", ", EVENTS), Map.of("field", "events", "allowed", EVENTS));
      }
    }
    List<String> events = input.events().stream().distinct().toList();
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    UUID id = UUID.randomUUID();
    return transactions.inTenant(auth.tenantId(), c -> {
      repository.insert(c, auth.tenantId(), id, input.name(), url.toString(), events, input.enabled(),
          sealer.seal(secret.getBytes(StandardCharsets.UTF_8),
              IntegrationRepository.secretContext(auth.tenantId(), id)), auth.caller());
      if (input.enabled()) {
        Outbox.subscribe(c, auth.tenantId(), id, events);
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("type", "webhook");
      details.put("name", input.name());
      // The host only: a URL's path or query may hold the receiver's own token.
      details.put("host", url.getHost());
      details.put("events", events);
      details.put("enabled", input.enabled());
      audit.record(c, auth.caller(), auth.tenantId(), "integration.created", "integration", id.toString(), details);
      return repository.integration(c, id).orElseThrow().withSecret(secret);
    });
  }

  public Map<String, Object> list(AuthContext auth, Page page) {
    return transactions.inTenant(auth.tenantId(), c -> {
      Map.Entry<List<Integration>, Long> found = repository.integrations(c, page.perPage(), page.offset());
      return page.body(found.getKey(), found.getValue());
    });
  }

  public Integration get(AuthContext auth, String id) {
    UUID uuid = integrationId(id);
    return transactions.inTenant(auth.tenantId(), c -> repository.integration(c, uuid))
        .orElseThrow(() -> notFound(id));
  }

  /** Deletes a webhook: nothing more is sent to it, its delivery history goes with it. */
  public void delete(AuthContext auth, String id) {
    UUID uuid = integrationId(id);
    transactions.inTenant(auth.tenantId(), c -> {
      if (!repository.delete(c, uuid)) {
        throw notFound(id);
      }
      Outbox.unsubscribe(c, uuid);
      audit.record(c, auth.caller(), auth.tenantId(), "integration.deleted", "integration", id, Map.of());
      return null;
    });
  }

  /** The webhook's deliveries, newest first, of one status or all. */
  public Map<String, Object> deliveries(AuthContext auth, String id, Optional<String> status, Page page) {
    UUID uuid = integrationId(id);
    return transactions.inTenant(auth.tenantId(), c -> {
      repository.integration(c, uuid).orElseThrow(() -> notFound(id));
      Map.Entry<List<Delivery>, Long> found = repository.deliveries(c, uuid, status, page.perPage(), page.offset());
      return page.body(found.getKey(), found.getValue());
    });
  }

  /** Stops the dispatcher; attempts it has under way are handed back to be made again. */
  @Override
  public void close() {
    dispatcher.close();
  }

  private static String shorten(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }

  /** Integration ids are UUIDs; anything else names none (404, as another tenant's id). */
  private static UUID integrationId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound(id);
    }
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("integration " + shorten(id) + " not found");
  }
}
