package io.infracast.operator.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every request a client sends, as "METHOD path", to tell reads from writes. */
public final class WriteCounter implements Interceptor {

  private final List<String> requests = new CopyOnWriteArrayList<>();

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

  public void reset() {
    requests.clear();
  }
}
