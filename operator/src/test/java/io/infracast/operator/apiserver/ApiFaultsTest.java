package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.infracast.operator.api.v1alpha1.ApiSpec;
import io.infracast.operator.testing.OperatorConfig;
import io.infracast.operator.testing.OperatorTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * API faults a real API server does not produce on demand, on the apply of one installation's Deployment: each
 * shows as one readable line in Degraded, is retried with backoff without an Event per retry, and heals by itself
 * once the API server answers again.
 */
// No resync during a test: only the reconcile retry may bring the installation back.
@OperatorConfig(apiFaults = true, requestTimeoutSeconds = ApiFaultsTest.REQUEST_TIMEOUT_SECONDS, resyncSeconds = 300)
class ApiFaultsTest extends OperatorTestBase {

  /** Short, so that a response slower than the request timeout costs the test seconds, not minutes. */
  static final int REQUEST_TIMEOUT_SECONDS = 2;
  /**
   * Reconciles under the fault before it stops. The reconcile retry waits 2, 2, 3 and then 4.5 s (the framework
   * starts the multiplier at the second retry), so the fourth wait is clearly longer than the first.
   */
  private static final int RECONCILES = 5;
  /** The first reconcile retry comes 2 s after a failure; the client's own retries come 0.1 to 1 s apart. */
  private static final Duration BETWEEN_RECONCILES = Duration.ofMillis(1500);

  @Test
  void internalErrorOnTheDeploymentApply() {
    var seen = underFault("internal-error", path -> faults.answer("PATCH", path, 500, "InternalError",
        "Internal error occurred: etcdserver: request timed out"), BETWEEN_RECONCILES);
    assertThat(seen.message()).isEqualTo("deployment: deployments/internal-error-api: the API server answered 500"
        + " (InternalError): Internal error occurred: etcdserver: request timed out");
    assertThat(seen.noticed()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void conflictOnTheDeploymentApply() {
    var seen = underFault("conflict", path -> faults.answer("PATCH", path, 409, "Conflict",
        "Operation cannot be fulfilled on deployments.apps \"conflict-api\": the object has been modified;"
            + " please apply your changes to the latest version and try again"), BETWEEN_RECONCILES);
    assertThat(seen.message()).isEqualTo("deployment: deployments/conflict-api: the API server answered 409"
        + " (Conflict): Operation cannot be fulfilled on deployments.apps \"conflict-api\": the object has been"
        + " modified; please apply your changes to the latest version and try again");
    assertThat(seen.noticed()).isLessThan(Duration.ofSeconds(5));
    assertThat(seen.requests()).as("a conflict is the reconcile's to retry, not the client's")
        .hasSize(seen.reconciles());
  }

  @Test
  void tooManyRequestsWithRetryAfter() {
    var seen = underFault("throttled", path -> faults.answerRetryAfter("PATCH", path, 429, "TooManyRequests",
        "Too many requests, please try again later.", Duration.ofSeconds(1)), BETWEEN_RECONCILES);
    assertThat(seen.message()).isEqualTo("deployment: deployments/throttled-api: the API server answered 429"
        + " (TooManyRequests): Too many requests, please try again later.");
    // fabric8 7.5.2 retries after its own 0.1 and 0.2 s whatever the Retry-After; the reconcile retry then waits
    // 2 s or more, longer than the 1 s the API server's priority and fairness asks for.
    assertThat(seen.noticed()).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void responseSlowerThanTheRequestTimeout() {
    var timeout = Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS);
    var seen = underFault("slow", path -> faults.delay("PATCH", path, timeout.multipliedBy(3)),
        timeout.plus(BETWEEN_RECONCILES));
    assertThat(seen.message()).isEqualTo("deployment: deployments/slow-api: the API server did not answer within"
        + " the client's request timeout");
    assertThat(seen.noticed()).as("three requests, each given up after the timeout")
        .isLessThan(timeout.multipliedBy(3).plusSeconds(5));
  }

  /**
   * A status that cannot be written cannot say why: one Warning Event does, however many retries, and the status
   * catches up once the API server takes it again.
   */
  @Test
  void statusWriteRefused() {
    var name = "status-refused";
    var before = readyWithItsEvents(name);
    faults.answer("PATCH", "/apis/infracast.io/v1alpha1/namespaces/" + namespace + "/infracastinstallations/" + name
        + "/status", 500, "InternalError", "Internal error occurred: etcdserver: leader changed");
    long start = System.nanoTime();
    changeTheDeployment(name);
    var generation = installation(name).get().getMetadata().getGeneration();

    await().atMost(TIMEOUT).until(() -> !events(name, before).isEmpty());
    var noticed = Duration.ofNanos(System.nanoTime() - start);
    await().atMost(Duration.ofMinutes(1)).until(() -> reconcileStarts(faults.diverted(), BETWEEN_RECONCILES).size()
        >= RECONCILES);
    var warnings = installationEvents(name).filter(e -> !before.contains(e.getMetadata().getName()))
        .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage()).toList();
    assertThat(warnings).as("Events after %d reconciles", RECONCILES).containsExactly("Warning StatusNotWritten:"
        + " the status could not be written, so it may be stale: the API server answered 500 (InternalError):"
        + " Internal error occurred: etcdserver: leader changed");
    assertThat(installation(name).get().getStatus().getObservedGeneration()).isLessThan(generation);

    faults.off();
    long off = System.nanoTime();
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      assertThat(installation(name).get().getStatus().getObservedGeneration()).isEqualTo(generation);
      assertThat(condition(name, "Ready").getStatus()).isEqualTo("True");
    });
    System.out.printf("API fault %s: Event after %d ms, %d requests in %d reconciles, Ready again %d ms after the"
        + " fault stopped%n", name, noticed.toMillis(), faults.diverted().size(),
        reconcileStarts(faults.diverted(), BETWEEN_RECONCILES).size(), Duration.ofNanos(System.nanoTime() - off)
            .toMillis());
  }

  /**
   * What the installation showed under a fault.
   *
   * @param message Degraded's message
   * @param noticed from the change that needed the faulted request to Degraded=True
   * @param requests when the faulted requests were sent, from when the fault was turned on
   * @param reconciles how many reconciles sent them
   */
  private record Seen(String message, Duration noticed, List<Duration> requests, int reconciles) {}

  /**
   * Turns the fault on for the installation's Deployment, changes the installation so that its Deployment must
   * be applied, and checks what every fault must show: one readable line in Degraded and Ready, reconciles
   * retried further and further apart, two Events however many retries, and Ready again once the fault stops.
   *
   * @param betweenReconciles a gap between faulted requests longer than this is a new reconcile, not the client
   *     retrying within one
   */
  private static Seen underFault(String name, Consumer<String> fault, Duration betweenReconciles) {
    var before = readyWithItsEvents(name);
    fault.accept("/apis/apps/v1/namespaces/" + namespace + "/deployments/" + name + "-api");
    long start = System.nanoTime();
    changeTheDeployment(name);

    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
        assertThat(condition(name, "Degraded")).extracting(Condition::getStatus, Condition::getReason)
            .containsExactly("True", "ReconcileError"));
    var noticed = Duration.ofNanos(System.nanoTime() - start);
    var message = condition(name, "Degraded").getMessage();
    assertThat(message).hasSizeLessThanOrEqualTo(400).doesNotContain("\n", "Exception", "at io.");
    assertThat(condition(name, "Ready")).extracting(Condition::getStatus, Condition::getMessage)
        .containsExactly("False", "the last reconcile failed, so some objects may be missing or stale: " + message);

    await().atMost(Duration.ofMinutes(1)).until(() -> reconcileStarts(faults.diverted(), betweenReconciles).size()
        >= RECONCILES);
    var requests = faults.diverted();
    var starts = reconcileStarts(requests, betweenReconciles);
    var events = events(name, before);
    assertThat(requests).as("requests per reconcile: the client retries at most twice")
        .hasSizeLessThanOrEqualTo(3 * starts.size());
    var gaps = gaps(starts);
    assertThat(gaps.get(gaps.size() - 1)).as("time between reconciles under the fault, from %s", requests)
        .isGreaterThan(gaps.get(0).plusMillis(1500));
    assertThat(events).as("Events under the fault, after %d reconciles", starts.size())
        .containsExactlyInAnyOrder("Warning ReconcileError Degraded=True", "Normal ReconcileError Ready=False");
    assertThat(client.apps().deployments().inNamespace(namespace).withName(name + "-api").get())
        .as("the pods keep serving meanwhile").isNotNull();

    faults.off();
    long off = System.nanoTime();
    // The next reconcile retry is at most 6.75 s away (the fifth wait), then the new pods roll out.
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      assertThat(condition(name, "Ready").getStatus()).isEqualTo("True");
      assertThat(condition(name, "Degraded").getStatus()).isEqualTo("False");
    });
    var recovered = Duration.ofNanos(System.nanoTime() - off);
    assertThat(client.apps().deployments().inNamespace(namespace).withName(name + "-api").get().getSpec()
        .getTemplate().getSpec().getContainers().get(0).getEnv()).contains(new EnvVar("FAULT", name, null));
    System.out.printf("API fault %s: noticed after %d ms, %d requests in %d reconciles starting at %s, %d Events,"
        + " Ready again %d ms after the fault stopped%n", name, noticed.toMillis(), requests.size(), starts.size(),
        starts, events.size(), recovered.toMillis());
    return new Seen(message, noticed, requests, starts.size());
  }

  /** Creates a Ready installation; returns its Events so far. */
  private static List<String> readyWithItsEvents(String name) {
    readyAt(name, "1.0.0");
    // The Event of a flip is recorded just after the status that shows it.
    await().atMost(TIMEOUT).until(() -> events(name, List.of()).contains("Normal Available Ready=True"));
    return eventNames(name);
  }

  /** A user's change that the operator must apply to the Deployment. */
  private static void changeTheDeployment(String name) {
    editSpec(name, spec -> {
      spec.setApi(Optional.ofNullable(spec.getApi()).orElseGet(ApiSpec::new));
      spec.getApi().setEnv(List.of(new EnvVar("FAULT", name, null)));
    });
  }

  /** The first faulted request of each reconcile. */
  private static List<Duration> reconcileStarts(List<Duration> requests, Duration betweenReconciles) {
    var starts = new ArrayList<Duration>();
    for (int i = 0; i < requests.size(); i++) {
      if (i == 0 || requests.get(i).minus(requests.get(i - 1)).compareTo(betweenReconciles) > 0) {
        starts.add(requests.get(i));
      }
    }
    return starts;
  }

  private static List<Duration> gaps(List<Duration> starts) {
    return IntStream.range(1, starts.size()).mapToObj(i -> starts.get(i).minus(starts.get(i - 1))).toList();
  }

  /** Events about the installation that are not in {@code before}, as "type reason condition=status". */
  private static List<String> events(String name, List<String> before) {
    return installationEvents(name).filter(e -> !before.contains(e.getMetadata().getName()))
        .map(e -> e.getType() + " " + e.getReason() + " " + e.getMessage().substring(0, e.getMessage().indexOf(':'))
            .replace(" is ", "="))
        .toList();
  }

  private static List<String> eventNames(String name) {
    return installationEvents(name).map(e -> e.getMetadata().getName()).toList();
  }

  private static Stream<Event> installationEvents(String name) {
    return client.v1().events().inNamespace(namespace).withField("involvedObject.name", name).list().getItems()
        .stream();
  }
}
