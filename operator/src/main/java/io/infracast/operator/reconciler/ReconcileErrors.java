package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.net.http.HttpTimeoutException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a failed reconcile into one line a user can read in a condition or an Event: which owned object failed
 * and what the API server said, never a stack trace, and the same line for the same fault, so that a retry that
 * fails alike writes nothing new.
 */
public final class ReconcileErrors {

  /** Longer messages are cut: a condition is read in `kubectl describe`, not a log. */
  static final int MAX_LENGTH = 400;

  private ReconcileErrors() {}

  public static String describe(Exception error) {
    // The workflow's failures arrive wrapped (the framework's OperatorException around them).
    var aggregated = causes(error).filter(AggregatedOperatorException.class::isInstance)
        .map(AggregatedOperatorException.class::cast)
        .filter(a -> !a.getAggregatedExceptions().isEmpty()).findFirst();
    // Sorted by dependent name, so the line does not change with the order the workflow's threads finished in.
    var text = aggregated.map(a -> new TreeMap<>(a.getAggregatedExceptions()).entrySet().stream()
            .map(e -> e.getKey() + ": " + cause(e.getValue()))
            .collect(Collectors.joining("; ")))
        .orElseGet(() -> cause(error));
    var line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 3) + "...";
  }

  /**
   * The object the request was about (as the client knows it from the URL), then the API server's answer to a
   * refused request, else the root cause: a request that got no answer has no status, only its cause.
   */
  private static String cause(Throwable error) {
    var requests = causes(error).filter(KubernetesClientException.class::isInstance)
        .map(KubernetesClientException.class::cast).toList();
    var object = requests.stream().filter(k -> k.getName() != null).findFirst()
        .map(k -> k.getResourcePlural() + "/" + k.getName() + ": ").orElse("");
    var refused = requests.stream().filter(k -> k.getStatus() != null && k.getCode() > 0).findFirst();
    if (refused.isPresent()) {
      var status = refused.get().getStatus();
      return object + "the API server answered " + refused.get().getCode() + " ("
          + Objects.toString(status.getReason(), "no reason") + "): "
          + Objects.toString(status.getMessage(), "no message");
    }
    var root = causes(error).reduce((outer, inner) -> inner).orElseThrow();
    if (root instanceof HttpTimeoutException) {
      return object + "the API server did not answer within the client's request timeout";
    }
    var message = root.getMessage();
    return object + (message == null || message.isBlank() ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + firstLine(message));
  }

  /** {@code error} and its causes, outermost first. */
  private static Stream<Throwable> causes(Throwable error) {
    return Stream.iterate(error, t -> t != null, t -> t.getCause() == t ? null : t.getCause());
  }

  private static String firstLine(String message) {
    var end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
