package io.infracast.api.integrations.internal;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infracast.api.platform.config.WebhookSettings;
import io.infracast.api.platform.crypto.SecretCipher;
import io.infracast.api.platform.db.Transactions;
import io.infracast.api.platform.events.Outbox;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's webhook dispatcher. Every {@link #POLL} it turns outbox events into deliveries and claims due
 * deliveries (see {@link DeliveryQueue#claim}: any number of replicas, each attempt made by one), then sends each
 * asynchronously: no thread waits on a slow receiver, and at most {@link #PER_TARGET} attempts to one webhook are
 * under way here at once, so a receiver that hangs holds up only its own deliveries. An attempt ends with a 2xx
 * (succeeded), a timeout, a connection failure, 408, 429 or 5xx (retried after an exponential, jittered backoff
 * until the last attempt, then failed), or anything else (failed at once: the receiver refused it).
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(500);
  private static final int FAN_OUT_BATCH = 500;
  private static final int MAX_IN_FLIGHT = 64;
  private static final int PER_TARGET = 4;
  /** How long past its timeout an attempt's claim lasts before another replica may make the next one. */
  private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
  /** How long an ended delivery stays in the list, and how often older ones are deleted. */
  private static final Duration KEEP = Duration.ofDays(30);
  private static final Duration PRUNE_EVERY = Duration.ofHours(1);
  /** How long stopping waits for attempts under way before handing them back. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final Transactions transactions;
  private final Optional<SecretCipher> cipher;
  private final WebhookSettings settings;
  private final TargetPolicy policy;
  private final BooleanSupplier ready;
  private final DeliveryQueue queue = new DeliveryQueue();
  private final Map<DeliveryQueue.Claimed, CompletableFuture<?>> inFlight = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller;
  private final ExecutorService io;
  private final HttpClient client;
  private volatile boolean closed;
  private volatile boolean warnedNoKeys;
  /** When (System.nanoTime) old deliveries were last deleted; null: not yet. */
  private Long prunedAt;

  /** @param ready whether the schema has this binary's migrations (nothing is done until then) */
  public Dispatcher(Transactions transactions, Optional<SecretCipher> cipher, WebhookSettings settings,
      TargetPolicy policy, BooleanSupplier ready) {
    this.transactions = transactions;
    this.cipher = cipher;
    this.settings = settings;
    this.policy = policy;
    this.ready = ready;
    AtomicInteger n = new AtomicInteger();
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "webhook-poller"));
    // A small pool: resolving names, signing, the HTTP client's callbacks and writing results; no thread is held
    // while a receiver takes its time.
    this.io = Executors.newFixedThreadPool(4, r -> daemon(r, "webhook-io-" + n.incrementAndGet()));
    // HTTP/1.1: no h2c upgrade offered to plain-http receivers, which some mishandle.
    this.client = HttpClient.newBuilder().executor(io).connectTimeout(settings.timeout())
        .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public void start() {
    poller.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    log.info("webhook dispatcher started", kv("timeout_ms", settings.timeout().toMillis()),
        kv("max_attempts", settings.maxAttempts()));
  }

  private void poll() {
    if (closed || !ready.getAsBoolean()) {
      return;
    }
    try {
      if (prunedAt == null || System.nanoTime() - prunedAt >= PRUNE_EVERY.toNanos()) {
        prune();
        prunedAt = System.nanoTime();
      }
      while (!closed && fanOut() == FAN_OUT_BATCH) {
        // a full batch: there may be more
      }
      transactions.acrossTenants(c -> queue.failAbandoned(c, settings.maxAttempts()));
      if (cipher.isEmpty()) {
        if (!warnedNoKeys) {
          warnedNoKeys = true;
          log.warn("webhook deliveries wait: ENCRYPTION_KEYS is not set, so their signing secrets cannot be read");
        }
        return;
      }
      int room = MAX_IN_FLIGHT - inFlight.size();
      if (closed || room <= 0) {
        return;
      }
      Set<UUID> busy = new HashSet<>();
      inFlight.keySet().forEach(d -> busy.add(d.integrationId()));
      Duration lease = settings.timeout().plus(LEASE_MARGIN);
      for (DeliveryQueue.Claimed d : transactions.acrossTenants(c -> queue.claim(c, room, PER_TARGET, busy,
          settings.maxAttempts(), lease))) {
        send(d);
      }
    } catch (Transactions.DatabaseException e) {
      log.warn("webhook dispatcher could not reach the database: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("webhook dispatcher failed a round", e);
    }
  }

  private void prune() {
    int deleted = transactions.acrossTenants(c -> queue.prune(c, KEEP));
    if (deleted > 0) {
      log.info("deleted old webhook deliveries", kv("deleted", deleted), kv("ended_before_days", KEEP.toDays()));
    }
  }

  /** Takes a batch of events out of the outbox into deliveries, in one transaction; returns how many it took. */
  private int fanOut() {
    return transactions.acrossTenants(c -> {
      List<Outbox.Event> events = new ArrayList<>(Outbox.take(c, FAN_OUT_BATCH));
      events.sort(Comparator.comparing(Outbox.Event::createdAt));
      List<String> bodies = new ArrayList<>();
      for (Outbox.Event e : events) {
        bodies.add(body(e));
      }
      queue.fanOut(c, events, bodies);
      return events.size();
    });
  }

  /** What a receiver gets: {@code {"id","type","created_at","tenant","data"}}, the same for every attempt. */
  private static String body(Outbox.Event e) {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", e.id().toString()).put("type", e.type()).put("created_at", e.createdAt().toString())
        .put("tenant", e.tenantSlug());
    try {
      body.set("data", JSON.readTree(e.payload()));
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException x) {
      throw new IllegalStateException("an outbox payload that is not JSON", x);
    }
  }

  private void send(DeliveryQueue.Claimed d) {
    CompletableFuture<HttpResponse<Void>> attempt = new CompletableFuture<>();
    AtomicReference<CompletableFuture<HttpResponse<Void>>> exchange = new AtomicReference<>();
    // However the attempt ends (answer, timeout, replica stopping), the HTTP exchange ends with it.
    attempt.whenComplete((response, error) -> Optional.ofNullable(exchange.get()).ifPresent(x -> x.cancel(true)));
    inFlight.put(d, attempt);
    CompletableFuture.supplyAsync(() -> request(d), io)
        .thenCompose(request -> {
          exchange.set(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
          return exchange.get();
        })
        .whenComplete((response, error) -> {
          if (error == null) {
            attempt.complete(response);
          } else {
            attempt.completeExceptionally(error);
          }
        });
    // A receiver that answers its headers and then never ends its body is cut off here.
    attempt.orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync((response, error) -> finish(d, response, error), io);
  }

  /** The signed request; a target refused by the policy (or not resolvable) fails the attempt. */
  private HttpRequest request(DeliveryQueue.Claimed d) {
    URI uri;
    try {
      uri = policy.resolve(d.url());
    } catch (TargetPolicy.Refused | UnknownHostException e) {
      throw new CompletionException(e);
    }
    String secret = new String(cipher.orElseThrow().open(d.secret(),
        IntegrationRepository.secretContext(d.tenantId(), d.integrationId())), StandardCharsets.UTF_8);
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    return HttpRequest.newBuilder(uri).timeout(settings.timeout())
        .header("Content-Type", "application/json")
        .header("User-Agent", "Infracast-Webhooks/1")
        .header("X-Infracast-Event", d.eventType())
        .header("X-Infracast-Delivery", d.id().toString())
        .header("X-Infracast-Attempt", Integer.toString(d.attempt()))
        .header("X-Infracast-Timestamp", timestamp)
        .header("X-Infracast-Signature", "sha256=" + signature(secret, timestamp, d.body()))
        .POST(HttpRequest.BodyPublishers.ofString(d.body(), StandardCharsets.UTF_8)).build();
  }

  /** Hex HMAC-SHA256, keyed with the secret as shown at creation, of {@code timestamp + "." + body}. */
  public static String signature(String secret, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private void finish(DeliveryQueue.Claimed d, HttpResponse<Void> response, Throwable error) {
    if (inFlight.remove(d) == null) {
      return; // handed back by close()
    }
    DeliveryQueue.Result result = result(d, response, error);
    try {
      transactions.acrossTenants(c -> {
        queue.record(c, d, result);
        return null;
      });
    } catch (Transactions.DatabaseException e) {
      // Its lease runs out and another attempt is made (this one is counted).
      log.warn("could not record webhook delivery {}: {}", d.id(), e.getMessage());
    }
    if (!result.status().equals("succeeded")) {
      log.info("webhook delivery attempt failed", kv("delivery_id", d.id()), kv("integration_id",
          d.integrationId()), kv("attempt", d.attempt()), kv("status", result.status()), kv("error", result.error()));
    }
  }

  private DeliveryQueue.Result result(DeliveryQueue.Claimed d, HttpResponse<Void> response, Throwable error) {
    if (response != null) {
      int code = response.statusCode();
      if (code >= 200 && code < 300) {
        return new DeliveryQueue.Result("succeeded", code, null, null);
      }
      if (code == 408 || code == 429 || code >= 500) {
        return retry(d, code, "HTTP " + code);
      }
      return new DeliveryQueue.Result("failed", code, "HTTP " + code + (code < 400 ? ": redirects are not followed"
          : ": not retried (only timeouts, connection failures, 408, 429 and 5xx are)"), null);
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TargetPolicy.Refused r) {
      return new DeliveryQueue.Result("failed", null, "the URL " + r.getMessage(), null);
    }
    if (cause instanceof SecretCipher.UnreadableSecretException) {
      return new DeliveryQueue.Result("failed", null, "the signing secret cannot be opened with ENCRYPTION_KEYS"
          + " (its key was removed?): delete the webhook and create it again", null);
    }
    String why;
    if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException
        || cause instanceof CancellationException) {
      why = "no answer within " + settings.timeout().toMillis() + " ms";
    } else if (cause instanceof UnknownHostException) {
      why = "cannot resolve host " + cause.getMessage();
    } else if (cause instanceof ConnectException) {
      why = "cannot connect" + (cause.getMessage() == null ? " (refused or unreachable)" : ": " + cause.getMessage());
    } else if (cause instanceof IOException) {
      why = "connection failed: " + cause;
    } else {
      why = String.valueOf(cause);
    }
    return retry(d, null, why);
  }

  /** Pending again after a backoff, or failed when that was the last attempt. */
  private DeliveryQueue.Result retry(DeliveryQueue.Claimed d, Integer code, String why) {
    if (d.attempt() >= settings.maxAttempts()) {
      return new DeliveryQueue.Result("failed", code, why + " (attempt " + d.attempt() + " of "
          + settings.maxAttempts() + ", the last)", null);
    }
    return new DeliveryQueue.Result("pending", code, why, backoff(settings.retryBase(), d.attempt()));
  }

  /** {@code base * 2^(attempt-1)}, at most {@link WebhookSettings#RETRY_MAX}, then a random half to all of it. */
  static Duration backoff(Duration base, int attempt) {
    long full = Math.min(WebhookSettings.RETRY_MAX.toMillis(), base.toMillis() << Math.min(attempt - 1, 30));
    return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
  }

  /**
   * Stops: no more claims; attempts under way get a few seconds, then those still unanswered are handed back,
   * due at once for the next replica (the receiver may have had them: deliveries are at least once).
   */
  @Override
  public void close() {
    closed = true;
    poller.shutdown();
    long until = System.nanoTime() + STOP_WAIT.toNanos();
    try {
      // A round under way may still claim: what it sends is in inFlight once it has ended.
      poller.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      while (!inFlight.isEmpty() && System.nanoTime() < until) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<DeliveryQueue.Claimed> unfinished = new ArrayList<>();
    for (DeliveryQueue.Claimed d : List.copyOf(inFlight.keySet())) {
      CompletableFuture<?> attempt = inFlight.remove(d);
      if (attempt != null) {
        attempt.cancel(true);
        unfinished.add(d);
      }
    }
    if (!unfinished.isEmpty()) {
      try {
        transactions.acrossTenants(c -> {
          queue.release(c, unfinished);
          return null;
        });
      } catch (Transactions.DatabaseException e) {
        log.warn("could not hand back {} webhook deliveries; they are tried again once their lease runs out: {}",
            unfinished.size(), e.getMessage());
      }
    }
    io.shutdownNow();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
