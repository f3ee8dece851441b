package io.infracast.operator.dev;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.infracast.operator.InfracastOperator;
import io.infracast.operator.OperatorSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.testing.RealApiServer;
import io.infracast.operator.testing.ack.AckRdsController;
import io.infracast.operator.testing.ack.AckS3Controller;
import io.infracast.operator.testing.aws.MotoAccess;
import io.infracast.operator.testing.kubelet.LocalKubelet;
import io.infracast.testing.aws.MotoServer;
import io.infracast.testing.postgres.ThrowawayPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The README's run command: a real kube-apiserver, its garbage collector and namespace controller, the CRD,
 * PostgreSQL, the local kubelet running the api-server's Jobs and pods, the operator, and
 * examples/development.yaml; then it prints each installation's status as it changes, and once one answers,
 * discovers this cluster through its API ({@link LocalDiscovery}). With {@code production}, it
 * applies examples/production.yaml instead, on AWS's API emulated by moto, with the ACK stand-ins of the tests
 * playing ACK's RDS and S3 controllers (the "RDS instance" is the local PostgreSQL). Ctrl-C stops everything, last
 * started first.
 */
public final class LocalRun {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  /** What the service logs once when it creates its first system admin (identity's bootstrap). */
  private static final Pattern ONE_TIME_LOGIN =
      Pattern.compile("one-time password, shown only here: email=(\\S+) password=([A-Za-z0-9_-]+)");

  private final List<AutoCloseable> started = new ArrayList<>();
  private LocalDiscovery discovery;
  /** Installations whose first login was printed. */
  private final Set<String> loginsShown = ConcurrentHashMap.newKeySet();

  public static void main(String[] args) throws Exception {
    var runDir = Path.of(System.getProperty("infracast.run.dir", REPO.resolve(".run").toString()));
    var run = new LocalRun();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      say("stopping everything");
      run.stopAll();
      stopped.countDown();
    }, "local-run-stop"));
    try {
      run.start(runDir, List.of(args).contains("production"));
    } catch (Exception e) {
      say("could not start: " + e.getMessage());
      System.exit(1);
    }
    stopped.await();
  }

  private void start(Path runDir, boolean production) throws Exception {
    Files.createDirectories(runDir);
    say("starting kube-apiserver and etcd (Kubernetes " + RealApiServer.KUBE_VERSION + ")");
    var kubeconfig = runDir.resolve("kubeconfig");
    Files.writeString(kubeconfig, RealApiServer.kubeConfigYaml());
    started.add(RealApiServer::stop);
    KubernetesClient client = RealApiServer.newClient();
    started.add(client);
    say("kubeconfig: " + kubeconfig + "   (export KUBECONFIG=" + kubeconfig + ")");

    var controllers = RealApiServer.startControllerManager(runDir, RealApiServer.GARBAGE_COLLECTOR,
        RealApiServer.NAMESPACE_CONTROLLER);
    started.add(() -> {
      controllers.destroy();
      controllers.waitFor(10, TimeUnit.SECONDS);
    });
    say("kube-controller-manager: garbage collector and namespace controller; log in "
        + runDir.resolve("kube-controller-manager.log"));

    RealApiServer.applyCrd(client, REPO.resolve("crds/infracastinstallations.infracast.io-v1.yml"));
    say("CRD installed: infracastinstallations.infracast.io");

    var postgres = ThrowawayPostgres.start();
    started.add(postgres);
    say("PostgreSQL 15 on 127.0.0.1:" + postgres.port());

    var kubelet = LocalKubelet.start(client, null, LocalKubelet.defaultJar(), runDir.resolve("pods"));
    started.add(kubelet);
    say("local kubelet: runs the api-server jar for Jobs and pods; logs in " + runDir.resolve("pods"));

    var operator = InfracastOperator.start(client, new OperatorSettings(Set.of(), Optional.empty(), 0,
        Duration.ofSeconds(600), Duration.ofSeconds(5), 5, OperatorSettings.DEFAULT_FIRST_INSTALLS,
        Duration.ofSeconds(60), MotoAccess.noCredentials(Duration.ofMinutes(5))));
    started.add(operator);
    say("operator running; metrics on http://127.0.0.1:" + operator.managementPort() + "/metrics, logs in "
        + runDir.resolve("operator.log"));

    if (production) {
      applyProductionExample(client, postgres);
    } else {
      // Production's database is made by the RDS stand-in, owned by the master user, as RDS makes it.
      var database = postgres.createDatabase("infracast");
      say("database " + database + " for examples/development.yaml");
      applyExample(client, postgres.postgresUrl(database));
    }
    discovery = new LocalDiscovery(client, REPO, runDir, LocalRun::say);
    watch(client, kubelet);
  }

  /**
   * examples/production.yaml on moto: ACK's CRDs, the ACK stand-ins for the example's namespace, and subnets
   * made in moto in place of the example's.
   */
  private void applyProductionExample(KubernetesClient client, ThrowawayPostgres postgres) throws Exception {
    var moto = MotoServer.start();
    started.add(moto);
    say("moto (AWS API emulator) on " + moto.endpoint());
    RealApiServer.applyCrd(client, AckRdsController.CRDS);
    RealApiServer.applyCrd(client, AckS3Controller.CRD);
    var subnets = moto.dataSubnets();
    var example = REPO.resolve("examples/production.yaml");
    try (InputStream in = Files.newInputStream(example)) {
      for (HasMetadata item : client.load(in).items()) {
        if (item.getKind().equals(HasMetadata.getKind(InfracastInstallation.class))) {
          var installation = client.getKubernetesSerialization().convertValue(item, InfracastInstallation.class);
          item = installation;
          var namespace = installation.getMetadata().getNamespace();
          started.add(new AckRdsController(client, namespace, moto, Optional.of(postgres)));
          started.add(new AckS3Controller(client, namespace, moto));
          installation.getSpec().getDatabase().setSubnetIds(subnets);
          say("ACK stand-ins (RDS on the local PostgreSQL, S3) for namespace " + namespace);
        }
        client.resource(item).serverSideApply();
      }
    }
    say("applied " + REPO.relativize(example) + " (its subnets replaced by moto's " + subnets + ")");
  }

  /** Applies examples/development.yaml, with its database Secret pointed at the local PostgreSQL. */
  private void applyExample(KubernetesClient client, String databaseUrl) throws Exception {
    var example = REPO.resolve("examples/development.yaml");
    try (InputStream in = Files.newInputStream(example)) {
      for (HasMetadata item : client.load(in).items()) {
        if (item instanceof Secret secret && secret.getStringData() != null
            && secret.getStringData().containsKey("DATABASE_URL")) {
          secret.setStringData(Map.of("DATABASE_URL", databaseUrl));
        }
        client.resource(item).serverSideApply();
      }
    }
    say("applied " + REPO.relativize(example) + " (its DATABASE_URL points at the local PostgreSQL)");
  }

  /** Prints a line whenever an installation's phase, versions or conditions change. */
  private void watch(KubernetesClient client, LocalKubelet kubelet) {
    var informer = client.resources(InfracastInstallation.class).inAnyNamespace()
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(InfracastInstallation installation) {
            print(installation, client, kubelet);
          }

          @Override
          public void onUpdate(InfracastInstallation old, InfracastInstallation installation) {
            if (!summary(old).equals(summary(installation))) {
              print(installation, client, kubelet);
            }
          }

          @Override
          public void onDelete(InfracastInstallation installation, boolean unknownFinalState) {
            say(installation.getMetadata().getName() + " deleted");
          }
        });
    started.add(informer::close);
  }

  private void print(InfracastInstallation installation, KubernetesClient client, LocalKubelet kubelet) {
    var namespace = installation.getMetadata().getNamespace();
    var name = namespace + "/" + installation.getMetadata().getName();
    say(name + ": " + summary(installation));
    var status = installation.getStatus();
    if (status != null && status.getPhase() != null && "Ready".equals(status.getPhase().name())) {
      kubelet.endpointOf(namespace, installation.getMetadata().getName() + "-api").ifPresent(uri -> {
        say(name + " answers: curl " + uri.resolve("/healthz"));
        if (loginsShown.add(name)) {
          firstAdmin(installation, client, kubelet).ifPresent(login -> {
            say(name + " first admin " + login.group(1) + ", password " + login.group(2) + " (shown once, by its "
                + "migration Job): curl -s " + uri.resolve("/api/v1/auth/token") + " -H 'Content-Type: "
                + "application/json' -d '{\"email\":\"" + login.group(1) + "\",\"password\":\"" + login.group(2)
                + "\"}'");
            // Off the informer's thread: a discovery takes seconds.
            Thread run = new Thread(() -> discovery.discover(namespace, installation.getMetadata().getName(), uri,
                login.group(1), login.group(2)), "local-discovery");
            run.setDaemon(true);
            run.start();
          });
        }
      });
    }
  }

  /** The one-time login the service's first migration logged, from the local kubelet's logs of the Job's pods. */
  private static Optional<Matcher> firstAdmin(InfracastInstallation installation, KubernetesClient client,
      LocalKubelet kubelet) {
    var namespace = installation.getMetadata().getNamespace();
    return client.batch().v1().jobs().inNamespace(namespace)
        .withLabel(InstallationLabels.INSTANCE, installation.getMetadata().getName()).list().getItems().stream()
        .flatMap(job -> kubelet.logFiles(namespace, job.getMetadata().getName()).stream())
        .flatMap(LocalRun::lines).map(ONE_TIME_LOGIN::matcher).filter(Matcher::find).findFirst();
  }

  private static Stream<String> lines(Path file) {
    try {
      return Files.readAllLines(file).stream();
    } catch (IOException e) {
      return Stream.empty();
    }
  }

  private static String summary(InfracastInstallation installation) {
    var status = installation.getStatus();
    if (status == null || status.getPhase() == null) {
      return "waiting for the operator";
    }
    var conditions = status.getConditions().stream()
        .map(c -> c.getType() + "=" + c.getStatus() + ("True".equals(c.getStatus()) ? "" : "(" + c.getReason() + ")"))
        .collect(Collectors.joining(" "));
    return "phase=" + status.getPhase() + " serving=" + Objects.toString(status.getVersion(), "-") + " schema="
        + Objects.toString(status.getSchemaVersion(), "-") + " " + conditions;
  }

  private void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        say("while stopping: " + e.getMessage());
      }
    }
  }

  private static void say(String line) {
    System.out.println("run: " + line);
  }
}
