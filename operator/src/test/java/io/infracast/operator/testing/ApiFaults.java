package io.infracast.operator.testing;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.dsl.DelayPathable;
import io.fabric8.mockwebserver.dsl.ReturnOrWebsocketable;
import io.fabric8.mockwebserver.dsl.TimesOnceableOrHttpHeaderable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * API faults a real API server does not produce on demand, for the operator's client: while a fault is on,
 * requests of one method to one path go to a fabric8 mock server in expectations mode that answers with the
 * fault; everything else still goes to the real API server. {@link #diverted()} tells when the faulted
 * requests were sent, the client's own retries included.
 */
public final class ApiFaults implements Interceptor, AutoCloseable {

  private final KubernetesMockServer server = new KubernetesMockServer(false);
  /** When each faulted request was sent, in System.nanoTime. */
  private final List<Long> diverted = new CopyOnWriteArrayList<>();
  private volatile long since;
  private volatile String method;
  private volatile String path;

  public ApiFaults() {
    server.start();
  }

  /** Every {@code method} request to {@code path} gets {@code code} with a Status body as the API server sends. */
  public void answer(String method, String path, int code, String reason, String message) {
    expect(method).withPath(path).andReturn(code, status(code, reason, message)).always();
    divert(method, path);
  }

  /** As {@link #answer}, with a {@code Retry-After} header as API priority and fairness sends with a 429. */
  public void answerRetryAfter(String method, String path, int code, String reason, String message,
      Duration retryAfter) {
    expect(method).withPath(path).andReturn(code, status(code, reason, message))
        .withHeader("Retry-After", Long.toString(retryAfter.toSeconds())).always();
    divert(method, path);
  }

  /** Every {@code method} request to {@code path} is answered only after {@code delay}. */
  public void delay(String method, String path, Duration delay) {
    expect(method).delay(delay.toMillis(), TimeUnit.MILLISECONDS).withPath(path)
        .andReturn(504, status(504, "Timeout", "the request did not complete in time")).always();
    divert(method, path);
  }

  /** A new expectation, the only one: requests are diverted only once it is complete. */
  private DelayPathable<ReturnOrWebsocketable<TimesOnceableOrHttpHeaderable<Void>>> expect(String method) {
    server.reset();
    var expect = server.expect();
    return switch (method) {
      case "PATCH" -> expect.patch();
      case "PUT" -> expect.put();
      case "POST" -> expect.post();
      case "DELETE" -> expect.delete();
      default -> expect.get();
    };
  }

  private void divert(String method, String path) {
    this.path = path;
    this.method = method;
    diverted.clear();
    since = System.nanoTime();
  }

  /** Requests go to the real API server again. */
  public void off() {
    method = null;
  }

  /** When the requests that got the fault were sent, counted from when it was turned on. */
  public List<Duration> diverted() {
    return diverted.stream().map(t -> Duration.ofNanos(t - since)).toList();
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    var uri = request.uri();
    if (request.method().equals(method) && uri.getPath().equals(path)) {
      diverted.add(System.nanoTime());
      // The query (field manager, force) stays behind: the expectation matches the path alone.
      builder.uri(URI.create(server.url(uri.getPath())));
    }
  }

  private static Status status(int code, String reason, String message) {
    return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message)
        .build();
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
