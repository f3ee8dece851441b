package io.infracast.operator.testing.kubelet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.infracast.operator.dependent.InstallationLabels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays kubelet, Deployment controller and Job controller for the Infracast image only, where no container
 * runtime or controller-manager runs (tests, the dev runner). It watches Deployments and Jobs labelled
 * {@code app.kubernetes.io/managed-by=infracast-operator}, runs their pods as local {@code java} processes of the
 * api-server build their image tag maps to, and writes back, through the status subresource, what the real
 * controllers would.
 *
 * <p>Image tag to build ({@link ApiBuilds}): a tag below 1.1.0 (or not a version) runs the api-server jar as
 * built (migrations V1 to V3); 1.1.0 and above run the same jar with the test resources' {@code api-builds/1.1.0/}
 * first on its classpath, which adds migration V100 (table {@code release_1_1_0}). So 1.0.0 to 1.1.0 is a real
 * upgrade: its Job applies V100, and a 1.1.0 pod is not ready before it has.
 *
 * <p>All decisions happen on one loop thread (informer events are handed to it), every ~500 ms: no locking.
 * Stopping a process can take up to 35 s, so that happens on stopper threads. The caller owns the lifecycle:
 * {@link #close()} stops every process and informer; nothing is registered globally.
 *
 * <p>A pod of the OpenTofu runner image ({@code .../tofu-runner:TAG}) runs terraform/runner/runner.sh with the
 * built {@code tofu} against the test resources' provider-free {@code tofu-modules/} ({@link TofuRunnerBuild}).
 * {@link #startJobs} runs only such Jobs, next to the fake controllers of the other Jobs and Deployments.
 *
 * <p>Not simulated: a container {@code command} (refused: only the image's entrypoint runs), liveness and startup
 * probes, preStop hooks (a stop sends SIGTERM at once), resource limits, a paused Deployment, Jobs with more than
 * one completion or pod failure policies. Every pod listens on its own local port instead of {@code API_PORT}.
 */
public final class LocalKubelet implements AutoCloseable {
  static final Logger log = LoggerFactory.getLogger(LocalKubelet.class);
  static final Duration TICK = Duration.ofMillis(500);

  /** Something that happened to a pod, in order: tests assert on the sequence (e.g. new READY before old STOPPING). */
  public record PodEvent(Instant at, String namespace, String owner, String pod, String template, Type type,
      String detail) {
    public enum Type { CONFIG_ERROR, STARTED, READY, NOT_READY, EXITED, STOPPING, STOPPED }
  }

  /** A snapshot of one pod. {@code waitingReason} is e.g. CreateContainerConfigError, null while running. */
  public record PodInfo(String namespace, String name, String owner, String template, String image, boolean running,
      boolean ready, int restarts, String waitingReason, String waitingMessage, URI endpoint, Path logFile) {}

  interface EventSink {
    void emit(PodProcess pod, PodEvent.Type type, String detail);
  }

  final KubernetesClient client;
  final ApiBuilds builds;
  final Path workDir;
  final EnvResolver env;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  final EventSink sink = this::emit;
  private final ScheduledExecutorService loop;
  private final ExecutorService stopper;
  private final Map<String, DeploymentSimulator> deployments = new ConcurrentHashMap<>();
  private final Map<String, JobSimulator> jobs = new ConcurrentHashMap<>();
  private final List<PodEvent> events = new CopyOnWriteArrayList<>();
  private final List<Future<?>> stops = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  private LocalKubelet(KubernetesClient client, Path jar, Path workDir) {
    this.client = client;
    this.builds = new ApiBuilds(jar);
    this.workDir = workDir;
    this.env = new EnvResolver(client);
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "local-kubelet"));
    this.stopper = Executors.newCachedThreadPool(r -> daemon(r, "local-kubelet-stop"));
  }

  /**
   * Starts watching and running.
   *
   * @param namespace the namespace to serve, or null for all namespaces
   * @param jar the runnable api-server jar ({@link #defaultJar()})
   * @param workDir where each pod gets its log file ({@code NAMESPACE/POD.log}) and working directory
   */
  public static LocalKubelet start(KubernetesClient client, String namespace, Path jar, Path workDir) {
    LocalKubelet kubelet = new LocalKubelet(client, jar, workDir);
    kubelet.informers.add(watch(client.apps().deployments(), namespace, kubelet.handler(kubelet::onDeployment,
        kubelet::onDeploymentDeleted)));
    return kubelet.runJobs(namespace, job -> true);
  }

  /** Runs only the Jobs of the OpenTofu runner image: the fake controllers play the rest. */
  public static LocalKubelet startJobs(KubernetesClient client, String namespace, Path workDir) {
    return new LocalKubelet(client, defaultJar(), workDir).runJobs(namespace, job -> TofuRunnerBuild.runs(
        job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
  }

  private LocalKubelet runJobs(String namespace, Predicate<Job> which) {
    informers.add(watch(client.batch().v1().jobs(), namespace, handler(job -> {
      if (which.test(job)) {
        onJob(job);
      }
    }, this::onJobDeleted)));
    loop.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** {@code api-server/target/infracast-api-server.jar}, seen from the operator module (Maven's working dir). */
  /**
   * The migrations a build below 1.1.0 applies (the jar's own), as flyway_schema_history lists them ("1,2,3,4");
   * 1.1.0 and later add {@link #NEWER_BUILD_MIGRATION}.
   */
  public static String jarMigrations() {
    return ApiBuilds.migrations(defaultJar()).stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** The migration the newer build (1.1.0 and later) adds above the jar's: table release_1_1_0. */
  public static final String NEWER_BUILD_MIGRATION = "100";

  public static Path defaultJar() {
    return Path.of(System.getProperty("infracast.api.jar", "../api-server/target/infracast-api-server.jar"))
        .toAbsolutePath().normalize();
  }

  private static <T extends HasMetadata, L extends KubernetesResourceList<T>> SharedIndexInformer<T> watch(
      MixedOperation<T, L, ? extends Resource<T>> op, String namespace, ResourceEventHandler<T> handler) {
    FilterWatchListDeletable<T, L, ? extends Resource<T>> scope = namespace == null ? op.inAnyNamespace()
        : op.inNamespace(namespace);
    return scope.withLabel(InstallationLabels.MANAGED_BY, InstallationLabels.OPERATOR_NAME).inform(handler, 0);
  }

  /** Hands informer events to the loop thread. */
  private <T> ResourceEventHandler<T> handler(Consumer<T> onChange, Consumer<T> onDelete) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onLoop(() -> onChange.accept(obj));
      }

      @Override
      public void onUpdate(T old, T obj) {
        onLoop(() -> onChange.accept(obj));
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        onLoop(() -> onDelete.accept(obj));
      }
    };
  }

  private void onLoop(Runnable r) {
    try {
      loop.execute(() -> {
        try {
          r.run();
        } catch (RuntimeException e) {
          log.warn("local kubelet: event handling failed", e);
        }
      });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  // Keyed by uid: a Deployment or Job deleted and created again under the same name is a new one.
  private void onDeployment(Deployment d) {
    deployments.computeIfAbsent(d.getMetadata().getUid(), uid -> new DeploymentSimulator(this, d)).update(d);
  }

  private void onDeploymentDeleted(Deployment d) {
    DeploymentSimulator sim = deployments.remove(d.getMetadata().getUid());
    if (sim != null) {
      sim.deleted();
    }
  }

  private void onJob(Job job) {
    jobs.computeIfAbsent(job.getMetadata().getUid(), uid -> new JobSimulator(this, job)).update(job);
  }

  private void onJobDeleted(Job job) {
    JobSimulator sim = jobs.remove(job.getMetadata().getUid());
    if (sim != null) {
      sim.deleted();
    }
  }

  private void tick() {
    for (DeploymentSimulator sim : deployments.values()) {
      try {
        sim.tick();
      } catch (RuntimeException e) {
        log.warn("local kubelet: deployment {} failed a sync", sim.key(), e);
      }
    }
    for (JobSimulator sim : jobs.values()) {
      try {
        sim.tick();
      } catch (RuntimeException e) {
        log.warn("local kubelet: job {} failed a sync", sim.key(), e);
      }
    }
  }

  /** Stops a pod on a stopper thread (SIGTERM, up to 35 s, SIGKILL); close() waits for these. */
  void stopAsync(PodProcess pod) {
    stops.removeIf(Future::isDone);
    try {
      stops.add(stopper.submit(pod::stop));
    } catch (RejectedExecutionException e) {
      pod.stop();
    }
  }

  private void emit(PodProcess pod, PodEvent.Type type, String detail) {
    PodEvent e = new PodEvent(Instant.now(), pod.namespace, pod.owner, pod.name, pod.template, type, detail);
    events.add(e);
    log.debug("pod {}/{} {}{}", pod.namespace, pod.name, type, detail == null ? "" : ": " + detail);
  }

  /** The base URL of a ready pod of the Deployment, as a Service would route to. */
  public Optional<URI> endpointOf(String namespace, String deployment) {
    return pods(namespace, deployment).stream().filter(PodInfo::ready).map(PodInfo::endpoint).findFirst();
  }

  /** The current pods of a Deployment or Job (a Job's: only the latest run). */
  public List<PodInfo> pods(String namespace, String owner) {
    List<PodInfo> out = new ArrayList<>();
    deployments.values().stream().filter(s -> s.is(namespace, owner)).forEach(s -> out.addAll(s.pods()));
    jobs.values().stream().filter(s -> s.is(namespace, owner)).forEach(s -> out.addAll(s.pods()));
    return out;
  }

  /** Everything that happened to pods so far, in order. */
  public List<PodEvent> events() {
    return List.copyOf(events);
  }

  /** Every pod log file of a Deployment or Job, oldest first. */
  public List<Path> logFiles(String namespace, String owner) {
    return events.stream().filter(e -> e.namespace().equals(namespace) && e.owner().equals(owner)
        && e.type() == PodEvent.Type.STARTED).map(e -> workDir.resolve(namespace).resolve(e.pod() + ".log"))
        .distinct().toList();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    loop.shutdown();
    try {
      if (!loop.awaitTermination(15, TimeUnit.SECONDS)) {
        loop.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deployments.values().forEach(DeploymentSimulator::deleted);
    jobs.values().forEach(JobSimulator::deleted);
    deployments.clear();
    jobs.clear();
    awaitAll(stops);
    stopper.shutdown();
  }

  private static void awaitAll(Collection<Future<?>> futures) {
    for (Future<?> f : futures) {
      try {
        f.get(PodProcess.STOP_GRACE.toSeconds() + 15, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        log.warn("local kubelet: a pod did not stop cleanly", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A free loopback port for a pod (there is a small window in which someone else could take it). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
