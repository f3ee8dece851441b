package io.infracast.operator.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.KubeAPITestException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One real kube-apiserver + etcd per test JVM, started on first use by fabric8 kube-api-test from the binaries
 * that {@code testenv/build.sh} builds. Starting costs seconds, so test classes share it and isolate themselves
 * by namespace instead of restarting it.
 */
public final class RealApiServer {

  /** Kubernetes version of the testenv binaries; the operator pom passes it to surefire. */
  public static final String KUBE_VERSION = System.getProperty("infracast.kube.version", "1.34.4");

  /** The InfracastInstallation CRD exactly as users install it. */
  public static final Path COMMITTED_CRD = Path.of("..", "crds", "infracastinstallations.infracast.io-v1.yml");

  private static KubeAPIServer server;
  private static String kubeConfigYaml;
  /** The kube-apiserver started again after an {@link #outage}, which kube-api-test does not know of. */
  private static Process restarted;

  private RealApiServer() {}

  /** Kubeconfig YAML of the shared API server, starting it on first call. */
  public static synchronized String kubeConfigYaml() {
    if (server == null) {
      start();
    }
    return kubeConfigYaml;
  }

  /** A new client for the shared API server; the caller closes it. */
  public static KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml())).build();
  }

  private static void start() {
    Path apiServer = binaries().resolve("kube-apiserver");
    if (!Files.isExecutable(apiServer)) {
      throw new IllegalStateException("No kube-apiserver " + KUBE_VERSION + " at " + apiServer
          + ": run testenv/build.sh (or bin/test, which runs it) to build the test control plane");
    }
    var candidate = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(testDir().toString())
        .withApiServerVersion(KUBE_VERSION)
        .withOfflineMode(true)
        .withUpdateKubeConfig(false)
        .withStartupTimeout(120_000)
        // kube-api-test already runs the RBAC authorizer (the tests' own identity is system:masters). This
        // plugin, as hardened clusters run it, makes setting blockOwnerDeletion need "update" on the owner's
        // finalizers, so the chart's rule for that is proven too (helm/ tests run as the chart's ServiceAccount).
        .withApiServerFlag("--enable-admission-plugins", "OwnerReferencesPermissionEnforcement")
        .build());
    candidate.start();
    server = candidate;
    kubeConfigYaml = candidate.getKubeConfigYaml();
    Runtime.getRuntime().addShutdownHook(new Thread(RealApiServer::stop, "kube-apiserver-stop"));
  }

  /** Deletes what lost its owners: deleting an installation deletes what it owns. */
  public static final String GARBAGE_COLLECTOR = "garbage-collector-controller";
  /** Empties a deleted namespace and then removes it, which otherwise stays Terminating for ever. */
  public static final String NAMESPACE_CONTROLLER = "namespace-controller";

  /**
   * Starts testenv's kube-controller-manager against the shared API server with only {@code controllers} (of
   * {@link #GARBAGE_COLLECTOR} and {@link #NAMESPACE_CONTROLLER}): the rest it would run (Deployments, Jobs, ...)
   * are the fakes' or the local kubelet's part. Its log goes to {@code workDir}; the caller stops the process.
   */
  public static Process startControllerManager(Path workDir, String... controllers) throws IOException {
    var kubeconfig = workDir.resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeConfigYaml());
    return new ProcessBuilder(binaries().resolve("kube-controller-manager").toString(),
        "--kubeconfig", kubeconfig.toString(), "--controllers", String.join(",", controllers),
        "--leader-elect=false", "--secure-port", "0")
        .redirectErrorStream(true).redirectOutput(workDir.resolve("kube-controller-manager.log").toFile()).start();
  }

  /** Where kube-api-test keeps certificates and looks for binaries, as it resolves it. */
  static Path testDir() {
    return Path.of(System.getenv().getOrDefault("KUBE_API_TEST_DIR",
        Path.of(System.getProperty("user.home"), ".kubeapitest").toString()));
  }

  /** testenv's kubectl, of the API server's version. */
  public static Path kubectl() {
    return binaries().resolve("kubectl");
  }

  /** Where testenv/build.sh puts kube-apiserver, etcd, kubectl and kube-controller-manager. */
  private static Path binaries() {
    return testDir().resolve("k8s").resolve(KUBE_VERSION + "-linux-amd64");
  }

  /** Server-side applies a CRD file and waits until the API server serves it. */
  public static void applyCrd(KubernetesClient client, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      // A file may hold several CRDs (an ACK controller's, say), each a YAML document.
      for (var crd : client.load(in).items()) {
        client.resource(crd).forceConflicts().serverSideApply();
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
            .waitUntilCondition(RealApiServer::established, 30, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // The status, and then its conditions, appear some milliseconds after the CRD itself.
  private static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * An API-server outage: kills kube-apiserver (etcd keeps running, with every object), waits {@code length},
   * then starts it again with the same command line, so the same port, certificates and kubeconfig work again.
   * Returns once it answers.
   */
  public static synchronized void outage(java.time.Duration length, Path log) throws IOException,
      InterruptedException {
    kubeConfigYaml();
    var apiServer = ProcessHandle.current().descendants()
        .filter(p -> p.isAlive() && p.info().command().orElse("").endsWith("/kube-apiserver")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no kube-apiserver runs under this JVM"));
    var commandLine = new java.util.ArrayList<String>();
    commandLine.add(apiServer.info().command().orElseThrow());
    commandLine.addAll(java.util.List.of(apiServer.info().arguments().orElseThrow()));
    stopWithoutItsWatcherNoticing();
    apiServer.onExit().join();
    Thread.sleep(length.toMillis());
    restarted = new ProcessBuilder(commandLine).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try (var client = newClient()) {
      for (int attempt = 0; ; attempt++) {
        try {
          client.getKubernetesVersion();
          return;
        } catch (RuntimeException notYet) {
          if (attempt == 600) {
            throw new IllegalStateException("kube-apiserver did not answer within 60 s of its restart; see " + log,
                notYet);
          }
          Thread.sleep(100);
        }
      }
    }
  }

  /**
   * kube-api-test stops etcd too (and deletes its data) when kube-apiserver dies unasked; its own stop of the
   * API server alone is not public on KubeAPIServer, so it is reached by reflection (test code only).
   */
  private static void stopWithoutItsWatcherNoticing() {
    try {
      var field = KubeAPIServer.class.getDeclaredField("kubeApiServerProcess");
      field.setAccessible(true);
      ((io.fabric8.kubeapitest.process.KubeAPIServerProcess) field.get(server)).stopApiServer();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("kube-api-test changed: cannot stop its kube-apiserver alone", e);
    }
  }

  /** Stops kube-apiserver and etcd and removes etcd's data; safe to call more than once. */
  public static synchronized void stop() {
    if (restarted != null) {
      restarted.destroyForcibly();
      restarted = null;
    }
    if (server == null) {
      return;
    }
    try {
      server.stop();
    } catch (KubeAPITestException e) {
      // The processes died first (Ctrl-C reaches them too) and kube-api-test already cleaned up after them.
    }
    server = null;
  }
}
