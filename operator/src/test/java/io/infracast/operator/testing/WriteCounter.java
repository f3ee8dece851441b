package io.infracast.operator.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Records every request a client sends, as "METHOD path", to tell reads from writes. */
public final class WriteCounter implements Interceptor {

  /** Not a copy-on-write list: at fleet scale each request would copy all before it. */
  private final Queue<String> requests = new ConcurrentLinkedQueue<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    requests.add(request.method() + " " + request.uri().getPath());
  }

  /** Requests that change something: anything but GET. */
  public List<String> writes() {
    return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  /** GET requests whose path contains {@code fragment}. */
  public long reads(String fragment) {
    return requests.stream().filter(r -> r.startsWith("GET ") && r.contains(fragment)).count();
  }

  /** Every GET request. */
  public List<String> reads() {
    return requests.stream().filter(r -> r.startsWith("GET ")).toList();
  }

  public void reset() {
    requests.clear();
  }
}
