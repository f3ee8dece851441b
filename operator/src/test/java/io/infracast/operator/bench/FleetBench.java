package io.infracast.operator.bench;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.infracast.operator.InfracastOperator;
import io.infracast.operator.OperatorClient;
import io.infracast.operator.OperatorSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.testing.FakeDeploymentController;
import io.infracast.operator.testing.FakeJobController;
import io.infracast.operator.testing.Helm;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.RealApiServer;
import io.infracast.operator.testing.WriteCounter;
import io.infracast.testing.aws.MotoServer;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * bench/fleet: N development installations in N namespaces, created at once, reconciled by the operator with the
 * chart's default settings (its rendered Deployment's environment, leader election on) on the real API server,
 * with a Service IP range of a real cluster (a /12) and the fake Deployment and Job controllers reporting
 * instant success. A watch (never a polling list) sees every installation's phases and conditions. Prints a
 * Markdown table: time to all Ready, the operator's writes per installation by kind against the minimum, writes
 * while idle, and memory.
 *
 * <p>Arguments: N, idle seconds to watch afterwards (at least 60).
 */
public final class FleetBench {

  /** A real cluster's Service range (EKS uses 10.100.0.0/16 or 172.20.0.0/16; kubeadm 10.96.0.0/12). */
  private static final String SERVICE_RANGE = "10.96.0.0/12";
  /**
   * FLEET_MEMORY_BREAKDOWN=1 runs the operator with native memory tracking and prints, after the idle time, its
   * committed memory by JVM area and the classes holding most of its heap.
   */
  private static final boolean MEMORY_BREAKDOWN = "1".equals(System.getenv("FLEET_MEMORY_BREAKDOWN"));
  private static final Pattern NAMESPACED = Pattern.compile("/namespaces/[^/]+/([^/]+)(?:/[^/]+(/[^/]+)?)?$");

  /** What the watch saw of one installation. */
  private static final class Seen {
    Phase phase;
    final Map<String, String> conditions = new HashMap<>();
    int phaseChanges;
    int conditionTransitions;
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("--operator")) {
      operator(args[1]);
      return;
    }
    int n = Integer.parseInt(args[0]);
    int idleSeconds = Math.max(60, args.length > 1 ? Integer.parseInt(args[1]) : 60);
    var admin = RealApiServer.newClient();
    RealApiServer.applyCrd(admin, RealApiServer.COMMITTED_CRD);
    var serviceRange = widenServiceRange(admin);

    var namespaces = IntStream.range(0, n).mapToObj(i -> "fleet-" + i).toList();
    // The Lease's namespace, as the chart's release namespace.
    admin.resource(new NamespaceBuilder().withNewMetadata().withName("infracast-system").endMetadata().build())
        .create();
    namespaces.parallelStream().forEach(namespace -> {
      admin.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
      admin.resource(Installations.databaseSecret(namespace, "acme")).create();
    });
    var deployments = new FakeDeploymentController(admin, null);
    var jobs = new FakeJobController(admin, null);

    var seen = new ConcurrentHashMap<String, Seen>();
    var allReady = new CountDownLatch(n);
    var lastReady = new AtomicLong();
    var watch = admin.resources(InfracastInstallation.class).inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(InfracastInstallation installation) {
        observe(installation);
      }

      @Override
      public void onUpdate(InfracastInstallation old, InfracastInstallation installation) {
        observe(installation);
      }

      @Override
      public void onDelete(InfracastInstallation installation, boolean unknown) { }

      private void observe(InfracastInstallation installation) {
        var s = seen.computeIfAbsent(installation.getMetadata().getNamespace(), k -> new Seen());
        synchronized (s) {
          var status = installation.getStatus();
          if (status == null) {
            return;
          }
          if (status.getPhase() != s.phase) {
            s.phaseChanges++;
            if (status.getPhase() == Phase.Ready && s.phase != Phase.Ready && allReady.getCount() > 0) {
              lastReady.set(System.nanoTime());
              allReady.countDown();
            }
            s.phase = status.getPhase();
          }
          for (var c : status.getConditions()) {
            if (!c.getStatus().equals(s.conditions.put(c.getType(), c.getStatus()))) {
              s.conditionTransitions++;
            }
          }
        }
      }
    });

    var operator = OperatorJvm.start();

    var cpuBefore = cpuSeconds(operator);
    long start = System.nanoTime();
    namespaces.parallelStream().forEach(namespace ->
        admin.resource(Installations.development(namespace, "acme")).create());
    if (!allReady.await(15, TimeUnit.MINUTES)) {
      throw new IllegalStateException(allReady.getCount() + " of " + n + " installations not Ready in 15 minutes");
    }
    double readySeconds = (lastReady.get() - start) / 1e9;
    var cpuUntilReady = cpuSeconds(operator);
    cpuUntilReady.replaceAll((process, seconds) -> seconds - cpuBefore.getOrDefault(process, 0.0));
    Thread.sleep(5000); // writes the last Ready causes (its Events) land
    var byKind = byKind(operator.ask("writes"));
    var readsByKind = byKind(operator.ask("reads"));
    var minimum = minimum(admin, namespaces, seen);

    Thread.sleep(idleSeconds * 1000L);
    var idle = operator.ask("writes");
    operator.ask("reads");
    var idleLeaseRenewals = idle.stream().filter(w -> w.contains("/leases/")).count();
    var memory = operator.ask("memory");
    var breakdown = MEMORY_BREAKDOWN ? operator.ask("breakdown") : List.<String>of();
    operator.close();

    System.out.printf("%n| installations | seconds to all Ready | Ready/s | writes per installation (minimum) | writes"
        + " / minimum | writes in %d s idle (+ Lease renewals) | operator RSS idle / after GC (MiB) | operator heap after GC (MiB) |%n",
        idleSeconds);
    System.out.println("|---|---|---|---|---|---|---|---|");
    long total = byKind.entrySet().stream().filter(e -> !e.getKey().equals("leases")).mapToLong(Map.Entry::getValue)
        .sum();
    long minimumTotal = minimum.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf("| %d | %.1f | %.2f | %.2f (%.2f) | %.2f | %d (+ %d) | %s | %s |%n", n, readySeconds,
        n / readySeconds, (double) total / n, (double) minimumTotal / n, (double) total / minimumTotal,
        idle.size() - idleLeaseRenewals, idleLeaseRenewals, memory.get(0), memory.get(1));
    System.out.printf("%n| write | per installation | minimum |%n|---|---|---|%n");
    var kinds = new TreeMap<String, Long>(byKind);
    minimum.keySet().forEach(k -> kinds.putIfAbsent(k, 0L));
    kinds.forEach((kind, count) -> System.out.printf("| %s | %.2f | %s |%n", kind, (double) count / n,
        minimum.containsKey(kind) ? String.format("%.2f", (double) minimum.get(kind) / n) : "-"));
    System.out.printf("%nReads (GET) per installation until then: %s%n", new TreeMap<>(readsByKind).entrySet()
        .stream().map(e -> String.format("%s %.2f", e.getKey(), (double) e.getValue() / n)).toList());
    System.out.printf("%nCPU seconds from the first create to the last Ready (%.1f s on %d cores): %s%n", readySeconds,
        Runtime.getRuntime().availableProcessors(), cpuUntilReady.entrySet().stream()
            .map(e -> String.format("%s %.1f", e.getKey(), e.getValue())).toList());
    System.out.printf("%nService IPs: %s. Idle writes besides the Lease: %s%n", serviceRange,
        idle.stream().filter(w -> !w.contains("/leases/")).toList());
    if (!breakdown.isEmpty()) {
      System.out.printf("%nWhere the operator's memory is, after the idle time and a full GC (native memory tracking"
          + " adds a few MiB of its own):%n%n```%n%s%n```%n", String.join("\n", breakdown));
    }

    watch.close();
    deployments.close();
    jobs.close();
    admin.close();
    RealApiServer.stop();
    System.exit(0);
  }

  /**
   * kube-api-test passes its own --service-cluster-ip-range (a /24: 253 Services) after any flag of ours, so a
   * real cluster's range is added as a second ServiceCIDR, which Kubernetes 1.33+ allocates from as well; a
   * Service asking an address from it proves it is in use.
   */
  private static String widenServiceRange(KubernetesClient admin) {
    admin.resource(new GenericKubernetesResourceBuilder().withApiVersion("networking.k8s.io/v1")
        .withKind("ServiceCIDR").withNewMetadata().withName("fleet-bench").endMetadata()
        .addToAdditionalProperties("spec", Map.of("cidrs", List.of(SERVICE_RANGE))).build()).create();
    var probe = new ServiceBuilder().withNewMetadata().withName("service-range-probe").withNamespace("default")
        .endMetadata().withNewSpec().withClusterIP("10.111.255.254").addNewPort().withPort(80).endPort().endSpec()
        .build();
    for (int attempt = 0; ; attempt++) {
      try {
        admin.resource(probe).create();
        return SERVICE_RANGE + " added to the /24 (a Service got 10.111.255.254)";
      } catch (RuntimeException notYet) {
        if (attempt == 50) {
          return "the /24 only: " + SERVICE_RANGE + " was refused (" + notYet.getMessage() + ")";
        }
        sleep(200);
      }
    }
  }

  /** The environment the chart's Deployment gives the operator by default, as its pod would see it. */
  private static Map<String, String> chartEnvironment() throws Exception {
    var work = Files.createTempDirectory("fleet-bench");
    var deployment = Helm.template(work).stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .findFirst().orElseThrow();
    var env = new HashMap<String, String>();
    for (EnvVar var : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      env.put(var.getName(), var.getValueFrom() == null ? var.getValue()
          : Map.of("metadata.name", "infracast-operator-0", "metadata.namespace", "infracast-system")
              .get(var.getValueFrom().getFieldRef().getFieldPath()));
    }
    env.put("MANAGEMENT_PORT", "0"); // any free port on this host
    return env;
  }

  /**
   * CPU seconds so far of the processes sharing the machine: the operator's JVM, kube-apiserver, etcd, and this
   * JVM (the bench's watch and the fake Deployment and Job controllers).
   */
  private static Map<String, Double> cpuSeconds(OperatorJvm operator) {
    var seconds = new TreeMap<String, Double>();
    // This JVM's own children only: other API servers on the machine are not this run's.
    Stream.concat(Stream.of(ProcessHandle.current()), ProcessHandle.current().descendants()).forEach(p -> {
      var command = p.info().command().orElse("");
      var name = p.pid() == operator.process.pid() ? "operator"
          : p.pid() == ProcessHandle.current().pid() ? "bench (watch, fake controllers)"
          : command.endsWith("/kube-apiserver") ? "kube-apiserver" : command.endsWith("/etcd") ? "etcd" : null;
      if (name != null) {
        p.info().totalCpuDuration().ifPresent(d -> seconds.merge(name, d.toMillis() / 1000.0, Double::sum));
      }
    });
    return seconds;
  }

  /** Write requests by resource ("configmaps", "infracastinstallations/status", ...), whatever the method. */
  private static Map<String, Long> byKind(List<String> writes) {
    var kinds = new HashMap<String, Long>();
    for (var write : writes) {
      var matcher = NAMESPACED.matcher(write.substring(write.indexOf(' ') + 1));
      var kind = matcher.find() ? matcher.group(1) + Objects.toString(matcher.group(2), "") : write;
      kinds.merge(kind, 1L, Long::sum);
    }
    return kinds;
  }

  /**
   * One write per object the operator owns, one label patch per Secret it watches, the finalizer, one status write
   * per phase change and one Event per condition transition.
   */
  private static Map<String, Long> minimum(KubernetesClient admin, List<String> namespaces,
      Map<String, Seen> seen) {
    var minimum = new HashMap<String, Long>();
    for (var namespace : namespaces) {
      for (var kind : List.of("serviceaccounts", "secrets", "configmaps", "services", "jobs", "deployments",
          "horizontalpodautoscalers", "networkpolicies", "poddisruptionbudgets", "ingresses")) {
        long owned = owned(admin, namespace, kind);
        if (owned > 0) {
          minimum.merge(kind, owned, Long::sum);
        }
      }
      minimum.merge("secrets", 1L, Long::sum); // the watched label on the database Secret
      minimum.merge("infracastinstallations", 1L, Long::sum); // the operator's finalizer, added once
      var s = seen.get(namespace);
      minimum.merge("infracastinstallations/status", (long) s.phaseChanges, Long::sum);
      minimum.merge("events", (long) s.conditionTransitions, Long::sum);
    }
    return minimum;
  }

  private static long owned(KubernetesClient admin, String namespace, String kind) {
    List<? extends HasMetadata> items = switch (kind) {
      case "serviceaccounts" -> admin.serviceAccounts().inNamespace(namespace).list().getItems();
      case "secrets" -> admin.secrets().inNamespace(namespace).list().getItems();
      case "configmaps" -> admin.configMaps().inNamespace(namespace).list().getItems();
      case "services" -> admin.services().inNamespace(namespace).list().getItems();
      case "jobs" -> admin.batch().v1().jobs().inNamespace(namespace).list().getItems();
      case "deployments" -> admin.apps().deployments().inNamespace(namespace).list().getItems();
      case "horizontalpodautoscalers" -> admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace)
          .list().getItems();
      case "networkpolicies" -> admin.network().v1().networkPolicies().inNamespace(namespace).list().getItems();
      case "poddisruptionbudgets" -> admin.policy().v1().podDisruptionBudget().inNamespace(namespace).list()
          .getItems();
      default -> admin.network().v1().ingresses().inNamespace(namespace).list().getItems();
    };
    return items.stream().filter(o -> o.getMetadata().getOwnerReferences() != null && o.getMetadata()
        .getOwnerReferences().stream().anyMatch(r -> r.getKind().equals("InfracastInstallation"))).count();
  }

  /**
   * The operator alone in its own JVM, so that its RSS and heap are its own, run with the image's JVM options and
   * environment (operator/Dockerfile) as the chart's pod runs it: 512Mi of memory (MaxRAM stands for the container
   * limit). It answers the bench on stdin and stdout, its log going to stderr.
   */
  private static final class OperatorJvm {
    private final Process process;
    private final BufferedReader answers;
    private final PrintWriter questions;

    private OperatorJvm(Process process) {
      this.process = process;
      this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.questions = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    static OperatorJvm start() throws Exception {
      var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      var command = new ArrayList<>(List.of(java, "-XX:MaxRAM=512m"));
      command.addAll(imageJvmOptions());
      if (MEMORY_BREAKDOWN) {
        command.add("-XX:NativeMemoryTracking=summary");
      }
      // FLEET_PROFILE=<file.jfr>: a flight recording of the operator (where its CPU goes: jfr print).
      Optional.ofNullable(System.getenv("FLEET_PROFILE"))
          .ifPresent(file -> command.add("-XX:StartFlightRecording=settings=profile,filename=" + file));
      // The image's jar, not the test classpath (whose hundred jars' directories the JVM would hold in memory);
      // the test classes only for this class's operator side.
      command.addAll(List.of("-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile"),
          "-cp", "target/infracast-operator.jar:target/test-classes", FleetBench.class.getName(), "--operator",
          RealApiServer.kubeConfigYaml()));
      var builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
      builder.environment().putAll(imageEnvironment());
      builder.environment().putAll(chartEnvironment());
      var jvm = new OperatorJvm(builder.start());
      jvm.ask("started");
      return jvm;
    }

    /** The -XX options of the image's ENTRYPOINT. */
    private static List<String> imageJvmOptions() throws IOException {
      var entrypoint = Files.readAllLines(Path.of("Dockerfile")).stream().filter(l -> l.startsWith("ENTRYPOINT"))
          .findFirst().orElseThrow();
      var options = new ArrayList<String>();
      var matcher = Pattern.compile("\"(-XX:[^\"]+)\"").matcher(entrypoint);
      while (matcher.find()) {
        options.add(matcher.group(1));
      }
      return options;
    }

    /** The ENV lines of the image (NAME=value each). */
    private static Map<String, String> imageEnvironment() throws IOException {
      var environment = new HashMap<String, String>();
      Files.readAllLines(Path.of("Dockerfile")).stream().filter(l -> l.startsWith("ENV ")).forEach(l -> {
        var assignment = l.substring(4).strip().split("=", 2);
        environment.put(assignment[0], assignment[1]);
      });
      return environment;
    }

    /** Sends {@code question}; the answer is the lines up to an empty one. */
    List<String> ask(String question) throws IOException {
      questions.println(question);
      var lines = new ArrayList<String>();
      for (var line = answers.readLine(); line != null && !line.isEmpty(); line = answers.readLine()) {
        lines.add(line);
      }
      return lines;
    }

    void close() throws InterruptedException {
      questions.println("stop");
      process.waitFor(30, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  /**
   * The operator's JVM: starts the operator with the chart's default environment on the given kubeconfig, then
   * answers "writes" (its write requests since it last answered "reads"), "reads" (its GET requests, after which it
   * forgets both) and "memory" (RSS and heap after GC, MiB).
   */
  private static void operator(String kubeconfig) throws Exception {
    var writes = new WriteCounter();
    var client = OperatorClient.builder(Config.fromKubeconfig(kubeconfig))
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("writes", writes)).build();
    var operator = InfracastOperator.start(client, OperatorSettings.fromEnvironment(System.getenv()));
    var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (var question = in.readLine(); question != null && !question.equals("stop"); question = in.readLine()) {
      switch (question) {
        case "writes" -> writes.writes().forEach(System.out::println);
        case "reads" -> {
          writes.reads().forEach(System.out::println);
          writes.reset();
        }
        case "memory" -> {
          var idle = rssMiB();
          System.gc();
          Thread.sleep(500);
          System.out.println(idle + " / " + rssMiB());
          System.out.println(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
        }
        case "breakdown" -> memoryBreakdown().forEach(System.out::println);
        default -> { } // "started"
      }
      System.out.println();
    }
    operator.close();
    client.close();
    System.exit(0);
  }

  /** Committed memory by JVM area (native memory tracking) and the 25 classes with the most heap. */
  private static List<String> memoryBreakdown() throws Exception {
    var diagnostics = new ObjectName("com.sun.management:type=DiagnosticCommand");
    var server = ManagementFactory.getPlatformMBeanServer();
    var signature = new String[] {String[].class.getName()};
    var nmt = (String) server.invoke(diagnostics, "vmNativeMemory", new Object[] {new String[] {"summary",
        "scale=MB"}}, signature);
    var histogram = (String) server.invoke(diagnostics, "gcClassHistogram", new Object[] {new String[0]},
        signature);
    var lines = new ArrayList<String>();
    nmt.lines().filter(l -> l.contains("committed=") && (l.startsWith("-") || l.startsWith("Total")))
        .map(String::strip).forEach(lines::add);
    lines.add("--");
    // An empty line ends an answer to the bench.
    histogram.lines().filter(l -> !l.isBlank()).limit(28).forEach(lines::add);
    return lines;
  }

  private static long rssMiB() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("\\D", "")) >> 10).findFirst().orElseThrow();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
