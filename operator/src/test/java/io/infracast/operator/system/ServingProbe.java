package io.infracast.operator.system;

import io.infracast.operator.testing.kubelet.LocalKubelet;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Asks every ready pod of a Deployment for some paths every 100 ms, as the Service's clients would, on a thread
 * of its own, and records every answer: a failed request, a status other than 200, or no ready pod at all.
 */
final class ServingProbe implements AutoCloseable {
  private static final Duration EVERY = Duration.ofMillis(100);

  /** One answer; {@code pod} and {@code image} are null when no pod was ready. */
  record Answer(Instant at, String pod, String image, String path, int status, String error) {
    boolean ok() {
      return status == 200;
    }
  }

  private final LocalKubelet kubelet;
  private final String namespace;
  private final String deployment;
  private final List<String> paths;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final List<Answer> answers = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private ServingProbe(LocalKubelet kubelet, String namespace, String deployment, List<String> paths) {
    this.kubelet = kubelet;
    this.namespace = namespace;
    this.deployment = deployment;
    this.paths = paths;
    this.thread = new Thread(this::run, "serving-probe-" + deployment);
    thread.setDaemon(true);
  }

  static ServingProbe start(LocalKubelet kubelet, String namespace, String deployment, String... paths) {
    ServingProbe probe = new ServingProbe(kubelet, namespace, deployment, List.of(paths));
    probe.thread.start();
    return probe;
  }

  private void run() {
    while (running) {
      List<LocalKubelet.PodInfo> ready = kubelet.pods(namespace, deployment).stream()
          .filter(LocalKubelet.PodInfo::ready).toList();
      if (ready.isEmpty()) {
        answers.add(new Answer(Instant.now(), null, null, null, 0, "no ready pod"));
      }
      for (LocalKubelet.PodInfo pod : ready) {
        paths.forEach(path -> answers.add(ask(pod, path)));
      }
      try {
        Thread.sleep(EVERY.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Answer ask(LocalKubelet.PodInfo pod, String path) {
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(pod.endpoint().resolve(path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return new Answer(Instant.now(), pod.name(), pod.image(), path, r.statusCode(), null);
    } catch (IOException e) {
      return new Answer(Instant.now(), pod.name(), pod.image(), path, 0, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return new Answer(Instant.now(), pod.name(), pod.image(), path, 0, "interrupted");
    }
  }

  List<Answer> answers() {
    return List.copyOf(answers);
  }

  List<Answer> failures() {
    return answers.stream().filter(a -> !a.ok()).toList();
  }

  /** The longest time between two answers (the probe asks every 100 ms: longer means the pods were slow). */
  Duration longestSilence() {
    Duration longest = Duration.ZERO;
    for (int i = 1; i < answers.size(); i++) {
      Duration gap = Duration.between(answers.get(i - 1).at(), answers.get(i).at());
      longest = gap.compareTo(longest) > 0 ? gap : longest;
    }
    return longest;
  }

  /** Stops probing; a request in flight finishes and is recorded first (no interrupt). */
  void stop() {
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
