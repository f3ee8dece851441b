package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

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
    String text;
    if (error instanceof AggregatedOperatorException aggregated && !aggregated.getAggregatedExceptions().isEmpty()) {
      // Sorted by dependent name, so the line does not change with the order the workflow's threads finished in.
      text = new TreeMap<>(aggregated.getAggregatedExceptions()).entrySet().stream()
          .map(e -> e.getKey() + ": " + cause(e.getValue()))
          .collect(Collectors.joining("; "));
    } else {
      text = cause(error);
    }
    var line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 3) + "...";
  }

  /** The innermost useful message: the API server's status for a refused request, else the root cause. */
  private static String cause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getStatus() != null && k.getCode() > 0) {
        return "the API server answered " + k.getCode() + " (" + Objects.toString(k.getStatus().getReason(),
            "no reason") + "): " + Objects.toString(k.getStatus().getMessage(), "no message");
      }
    }
    var root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    var message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + firstLine(message);
  }

  private static String firstLine(String message) {
    var end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
