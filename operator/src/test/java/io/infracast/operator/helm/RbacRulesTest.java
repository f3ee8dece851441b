package io.infracast.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.OperatorSettings;
import io.infracast.operator.api.v1alpha1.DeletionPolicy;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.MigrationSpec;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.api.v1alpha1.Profile;
import io.infracast.operator.api.v1alpha1.Provisioner;
import io.infracast.operator.api.v1alpha1.SecretKeyRef;
import io.infracast.operator.api.v1alpha1.SecretsSpec;
import io.infracast.operator.testing.ChartOperator;
import io.infracast.operator.testing.FakeDeploymentController;
import io.infracast.operator.testing.FakeJobController;
import io.infracast.operator.testing.Helm;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.RealApiServer;
import io.infracast.operator.testing.ack.AckRdsController;
import io.infracast.operator.testing.ack.AckS3Controller;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.data.terraform.TofuRunner;
import io.infracast.testing.aws.MotoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every permission the chart grants is needed: for each resource and verb of each Role the chart renders, the
 * operator runs as a ServiceAccount holding the chart's rules without that one permission, and the scenario that
 * uses it then fails (the installation does not get where it would, the operator reports a forbidden request or
 * an unhealthy informer on /readyz). The case without any removal proves each scenario succeeds with the chart's
 * rules, ACK installations included (ACK's CRDs served, its controllers played by the stand-ins against moto).
 *
 * <p>Beyond an installation reaching Ready, the scenarios cover each path a rule is there for: shrinking (the
 * delete verbs), ACK's upgrade snapshot, the finalizer deleting an ACK database (deletionPolicy Snapshot), the
 * terraform provisioner (the runner's objects, which the operator can grant only what it holds, their removal on
 * leaving terraform, the destroy Job on deletion) and a failed migration (its pod's termination message). A
 * removal the finalizer needs shows only as the deleted installation staying, so those cases wait
 * {@link #DELETION_TIMEOUT}.
 *
 * <p>Each case costs an operator start and a scenario (seconds; a minute for a held deletion); the whole sweep
 * runs with {@code -Dinfracast.rbac.sweep=all} (98 cases in about 11 minutes, 6 of them a held deletion), some
 * cases with {@code -Dinfracast.rbac.sweep=<case>,<case>}; CI runs one case per kind of permission (an
 * informer's list and watch, create, server-side apply, each delete path, status, owner-reference finalizers,
 * Events, the Lease, ACK, the finalizer, the runner's Role, a failed Job's pods).
 */
class RbacRulesTest {

  private static final String SERVICE_ACCOUNT = "infracast-operator";
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(30);
  /**
   * A deletion the finalizer cannot finish shows only as the installation staying (JOSDK retries a failed cleanup
   * without a status to write it to): long enough for the control cases on a loaded machine.
   */
  private static final Duration DELETION_TIMEOUT = Duration.ofSeconds(60);
  /** The OpenTofu runner's rules: the operator holds what the runner's Role grants, and makes the destroy Job. */
  private static final Set<String> TERRAFORM_PERMISSIONS = Set.of("roles", "rolebindings", "leases",
      "serviceaccounts/delete", "secrets/update", "jobs/get",
      // A referenced Secret is read by name only until its watch has it: a refused read is retried from the cache.
      "secrets/get");
  /** The representative subset CI runs: resource/verb, as {@link Case#toString}. */
  private static final Set<String> CI_CASES = Set.of("nothing removed", "deployments/watch", "configmaps/list",
      "jobs/create", "services/patch", "infracastinstallations/status/patch",
      "infracastinstallations/finalizers/update", "events/create", "secrets/get", "secrets/delete",
      "poddisruptionbudgets/delete", "ingresses/delete", "leader-election leases/update", "buckets/create",
      "dbinstances/patch", "roles/create", "pods/list", "dbsubnetgroups/delete");
  private static final AtomicInteger namespaces = new AtomicInteger();
  private static final HttpClient http = HttpClient.newHttpClient();

  private static KubernetesClient admin;
  private static Path work;
  private static Deployment chartDeployment;
  /** Started, with ACK's CRDs applied, for the first ACK case. */
  private static MotoServer moto;
  private static List<String> subnets;

  /** A permission the chart grants: one verb on one resource, in the tenant Role or the leader-election Role. */
  record Permission(boolean leaderElection, String apiGroup, String resource, String verb) {}

  /** The chart's rules without {@code removed} (none for the control case), and what should then break. */
  record Case(Optional<Permission> removed, Scenario scenario) {
    @Override
    public String toString() {
      return removed.map(p -> (p.leaderElection() ? "leader-election " : "") + p.resource() + "/" + p.verb())
          .orElse("nothing removed");
    }
  }

  enum Scenario {
    /** A production installation reaches Ready, with an Event recorded, as the Lease holder renewing it. */
    PRODUCTION,
    /** Then: fewer than two replicas (its PDB goes), no ingress (its Ingress goes), a JWT Secret of its own. */
    SHRINK,
    /** ACK's bucket and database: Bucket, DBSubnetGroup, DBInstance, then a DBSnapshot before an upgrade. */
    ACK,
    /**
     * An ACK installation with deletionPolicy Snapshot reaches Ready, is deleted, and is gone with its DBInstance
     * and DBSubnetGroup (the finalizer reads them and its Bucket, then deletes the two).
     */
    DELETE_ACK,
    /**
     * Two installations on the terraform provisioner get the runner's ServiceAccount, Role and RoleBinding and an
     * apply Job (which nothing runs); then one leaves terraform (its runner objects go) and the other is deleted
     * with deletionPolicy Delete (its destroy Job, once complete, lets it go).
     */
    TERRAFORM,
    /** A first install whose migration fails: the status names the failed pod's termination message. */
    FAILED_MIGRATION;

    boolean ack() {
      return this == ACK || this == DELETE_ACK;
    }
  }

  @BeforeAll
  static void render() throws Exception {
    if (work != null) {
      return; // cases() needed the chart first
    }
    admin = RealApiServer.newClient();
    RealApiServer.applyCrd(admin, RealApiServer.COMMITTED_CRD);
    work = Files.createTempDirectory("rbac-rules");
    chartDeployment = HelmTemplateTest.one(Helm.template(work, "--set", "rbac.scope=namespaced",
        "--set", "watchNamespaces={rbac-tenant}"), Deployment.class);
  }

  @AfterAll
  static void close() {
    if (moto != null) {
      moto.close();
      // Other tests start from a cluster without ACK's CRDs; their objects keep ACK's finalizer, its stand-ins gone.
      for (var file : List.of(AckS3Controller.CRD, AckRdsController.CRDS)) {
        try (var in = Files.newInputStream(file)) {
          for (var crd : admin.load(in).items()) {
            var spec = ((CustomResourceDefinition) crd).getSpec();
            admin.genericKubernetesResources(spec.getGroup() + "/" + spec.getVersions().get(0).getName(),
                spec.getNames().getKind()).inAnyNamespace().list()
                .getItems().forEach(o -> admin.resource(o).edit(e -> {
                  e.getMetadata().setFinalizers(List.of());
                  return e;
                }));
            admin.resource(crd).withTimeout(60, TimeUnit.SECONDS).delete();
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    admin.close();
  }

  /** The chart's Roles as helm renders them for one watched namespace: tenant rules and leader-election rules. */
  static Map<Boolean, List<PolicyRule>> chartRules() {
    var roles = HelmTemplateTest.all(Helm.template(work, "--set", "rbac.scope=namespaced",
        "--set", "watchNamespaces={rbac-tenant}"), Role.class);
    return Map.of(
        false, roles.stream().filter(r -> r.getMetadata().getNamespace().equals("rbac-tenant")).findFirst()
            .orElseThrow().getRules(),
        true, roles.stream().filter(r -> r.getMetadata().getName().endsWith("-leader-election")).findFirst()
            .orElseThrow().getRules());
  }

  static Stream<Case> cases() throws Exception {
    render();
    var cases = new ArrayList<Case>();
    for (var scenario : Scenario.values()) {
      cases.add(new Case(Optional.empty(), scenario));
    }
    chartRules().forEach((leaderElection, rules) -> rules.forEach(rule -> rule.getResources().forEach(resource ->
        rule.getVerbs().forEach(verb -> {
          var permission = new Permission(leaderElection, rule.getApiGroups().get(0), resource, verb);
          cases.add(new Case(Optional.of(permission), scenarioUsing(permission)));
        }))));
    // "all", or the cases to run, comma-separated as Case#toString prints them; CI's by default.
    var sweep = System.getProperty("infracast.rbac.sweep", "");
    var chosen = sweep.isEmpty() ? CI_CASES : Set.of(sweep.split(","));
    // ACK cases last: ACK's CRDs, once applied, stay until the end of this class.
    return cases.stream().filter(c -> sweep.equals("all") || chosen.contains(c.toString()))
        .sorted(Comparator.comparing(c -> c.scenario().ack()));
  }

  private static Scenario scenarioUsing(Permission permission) {
    var verb = permission.verb();
    if (permission.apiGroup().endsWith(".services.k8s.aws")) {
      return verb.equals("get") || verb.equals("delete") ? Scenario.DELETE_ACK : Scenario.ACK;
    }
    if (permission.resource().equals("pods")) {
      return Scenario.FAILED_MIGRATION;
    }
    if (!permission.leaderElection() && (TERRAFORM_PERMISSIONS.contains(permission.resource())
        || TERRAFORM_PERMISSIONS.contains(permission.resource() + "/" + verb))) {
      return Scenario.TERRAFORM;
    }
    return verb.equals("delete") ? Scenario.SHRINK : Scenario.PRODUCTION;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyPermissionIsNeeded(Case c) throws Exception {
    var namespace = "rbac-" + namespaces.incrementAndGet() + "-" + c.toString().replaceAll("[^a-z]+", "-")
        .replaceAll("-$", "");
    // Room for the operator's own namespace, "<tenant namespace>-op".
    namespace = namespace.substring(0, Math.min(60, namespace.length())).replaceAll("-$", "");
    if (c.scenario().ack() && moto == null) {
      RealApiServer.applyCrd(admin, AckS3Controller.CRD);
      RealApiServer.applyCrd(admin, AckRdsController.CRDS);
      moto = MotoServer.start();
      subnets = moto.dataSubnets();
    }
    grant(namespace, c.removed());
    var outcome = run(namespace, c.scenario());
    System.out.printf("RBAC case %s (%s): %s%n", c, c.scenario(), outcome.evidence());
    if (c.removed().isEmpty()) {
      assertThat(outcome.succeeded()).as("with the chart's rules: %s", outcome.evidence()).isTrue();
    } else {
      assertThat(outcome.succeeded()).as("without %s the %s scenario still succeeded: the chart need not grant it",
          c, c.scenario()).isFalse();
    }
  }

  /** What a scenario came to, and what showed it. */
  record Outcome(boolean succeeded, String evidence) {}

  /**
   * The chart's ServiceAccount and its leader-election Role in the operator's namespace, and its tenant Role in
   * {@code namespace}, less {@code removed}. Two namespaces, as a release and its tenants are: one Role's rule
   * would otherwise stand in for the other's.
   */
  private static void grant(String namespace, Optional<Permission> removed) {
    var operatorNamespace = operatorNamespace(namespace);
    for (var name : List.of(namespace, operatorNamespace)) {
      admin.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }
    admin.resource(new ServiceAccountBuilder().withNewMetadata().withName(SERVICE_ACCOUNT)
        .withNamespace(operatorNamespace).endMetadata().build()).create();
    chartRules().forEach((leaderElection, rules) -> {
      var name = leaderElection ? "leader-election" : "tenant";
      var roleNamespace = leaderElection ? operatorNamespace : namespace;
      var kept = new ArrayList<PolicyRule>();
      for (var rule : rules) {
        for (var resource : rule.getResources()) {
          var verbs = rule.getVerbs().stream().filter(verb -> removed.map(p -> p.leaderElection() != leaderElection
              || !p.resource().equals(resource) || !p.verb().equals(verb)).orElse(true)).toList();
          if (!verbs.isEmpty()) {
            kept.add(new PolicyRuleBuilder().withApiGroups(rule.getApiGroups()).withResources(resource)
                .withVerbs(verbs).build());
          }
        }
      }
      admin.resource(new RoleBuilder().withNewMetadata().withName(name).withNamespace(roleNamespace).endMetadata()
          .withRules(kept).build()).create();
      admin.resource(new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace(roleNamespace)
          .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
          .addNewSubject().withKind("ServiceAccount").withName(SERVICE_ACCOUNT).withNamespace(operatorNamespace)
          .endSubject().build()).create();
    });
  }

  private static Outcome run(String namespace, Scenario scenario) throws Exception {
    var deployment = new DeploymentBuilder(chartDeployment)
        .editMetadata().withNamespace(operatorNamespace(namespace)).endMetadata().build();
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    container.getEnv().stream().filter(e -> e.getName().equals("WATCH_NAMESPACES")).forEach(e -> e.setValue(namespace));
    if (scenario == Scenario.DELETE_ACK || scenario == Scenario.TERRAFORM) {
      // How often the finalizer looks again at what it waits for (the destroy Job, which it does not watch).
      container.getEnv().stream().filter(e -> e.getName().equals("WAITING_RECHECK_SECONDS"))
          .forEach(e -> e.setValue("1"));
    }
    deployment.getSpec().getTemplate().getSpec().setServiceAccountName(SERVICE_ACCOUNT);
    var jobs = new FakeJobController(admin, namespace);
    var controllers = new ArrayList<AutoCloseable>(List.of(new FakeDeploymentController(admin, namespace), jobs));
    if (scenario.ack()) {
      controllers.add(new AckS3Controller(admin, namespace, moto));
      controllers.add(new AckRdsController(admin, namespace, moto, Optional.empty()));
    }
    try {
      ChartOperator operator;
      try {
        operator = ChartOperator.start(deployment, namespace + "-pod");
      } catch (RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
          cause = cause.getCause();
        }
        return new Outcome(false, "the operator did not start: " + cause.getMessage());
      }
      try (operator) {
        return play(namespace, scenario, operator, jobs);
      }
    } finally {
      for (var controller : controllers) {
        controller.close();
      }
    }
  }

  private static Outcome play(String namespace, Scenario scenario, ChartOperator operator, FakeJobController jobs)
      throws Exception {
    if (scenario == Scenario.TERRAFORM) {
      return terraform(namespace, operator, jobs);
    }
    admin.resource(Installations.databaseSecret(namespace, "acme")).create();
    if (scenario == Scenario.FAILED_MIGRATION) {
      jobs.failVersion("1.0.0");
      admin.resource(Installations.development(namespace, "acme")).create();
      return await(namespace, operator, SCENARIO_TIMEOUT,
          () -> statusMessages(namespace).anyMatch(m -> m.contains(FakeJobController.MIGRATION_ERROR)));
    }
    admin.resource(scenario.ack() ? ackInstallation(namespace) : Installations.production(namespace, "acme"))
        .create();
    var outcome = await(namespace, operator, SCENARIO_TIMEOUT,
        () -> ready(namespace) && recorded(namespace) && renewed(namespace));
    if (!outcome.succeeded()) {
      return outcome;
    }
    return switch (scenario) {
      case SHRINK -> shrink(namespace, operator);
      case ACK -> upgradeAck(namespace, operator);
      case DELETE_ACK -> deleteAck(namespace, operator);
      default -> outcome;
    };
  }

  private static InfracastInstallation ackInstallation(String namespace) {
    var installation = Installations.development(namespace, "acme");
    var spec = installation.getSpec();
    spec.getArtifacts().setProvisioner(Provisioner.ACK);
    spec.getArtifacts().setRegion(null);
    spec.getDatabase().setProvisioner(Provisioner.ACK);
    spec.getDatabase().setExternalSecretRef(null);
    spec.getDatabase().setSubnetIds(subnets);
    var migration = new MigrationSpec();
    migration.setSnapshotBeforeMigrate(true);
    spec.setMigration(migration);
    spec.getDatabase().setDeletionPolicy(DeletionPolicy.Snapshot);
    return installation;
  }

  /** Deleted, it waits for ACK to delete its database (a final snapshot first), then its subnet group goes. */
  private static Outcome deleteAck(String namespace, ChartOperator operator) throws Exception {
    admin.resources(InfracastInstallation.class).inNamespace(namespace).withName("acme").delete();
    return await(namespace, operator, DELETION_TIMEOUT, () -> gone(namespace, "acme")
        && Stream.of("DBInstance", "DBSubnetGroup").allMatch(kind -> admin.genericKubernetesResources(
            AckRds.API_VERSION, kind).inNamespace(namespace).list().getItems().isEmpty()));
  }

  private static Outcome terraform(String namespace, ChartOperator operator, FakeJobController jobs)
      throws Exception {
    admin.resource(Installations.awsCredentials(namespace)).create();
    admin.resource(Installations.databaseSecret(namespace, "leaving")).create();
    var deleted = Installations.terraform(namespace, "acme", DeletionPolicy.Delete);
    var leaving = Installations.terraform(namespace, "leaving", DeletionPolicy.Retain);
    var both = List.of(deleted, leaving);
    both.forEach(installation -> admin.resource(installation).create());
    var outcome = await(namespace, operator, SCENARIO_TIMEOUT, () -> both.stream().allMatch(installation ->
        runnerObjects(installation) == 3 && admin.batch().v1().jobs().inNamespace(namespace)
            .withName(TofuRunner.applyJob(installation)).get() != null));
    if (!outcome.succeeded()) {
      return outcome;
    }
    // What OpenTofu's kubernetes backend leaves after an apply: the finalizer destroys only what a state records.
    admin.resource(new SecretBuilder().withNewMetadata().withName(TofuRunner.stateSecret(deleted))
        .withNamespace(namespace).endMetadata().build()).create();
    admin.resources(InfracastInstallation.class).inNamespace(namespace).withName("leaving").edit(i -> {
      var external = Installations.development(namespace, "leaving").getSpec();
      i.getSpec().setDatabase(external.getDatabase());
      i.getSpec().setArtifacts(external.getArtifacts());
      i.getSpec().setTerraform(null);
      return i;
    });
    admin.resources(InfracastInstallation.class).inNamespace(namespace).withName("acme").delete();
    return await(namespace, operator, DELETION_TIMEOUT, () -> {
      // The Job controller's part: the destroy Job, once made, succeeds.
      Optional.ofNullable(admin.batch().v1().jobs().inNamespace(namespace).withName(TofuRunner.destroyJob(deleted))
          .get()).ifPresent(jobs::finishNow);
      return gone(namespace, "acme") && runnerObjects(leaving) == 0;
    });
  }

  /** How many of the OpenTofu runner's ServiceAccount, Role and RoleBinding of {@code installation} exist. */
  private static long runnerObjects(InfracastInstallation installation) {
    var namespace = installation.getMetadata().getNamespace();
    var runner = TofuRunner.serviceAccount(installation);
    return Stream.of(admin.serviceAccounts().inNamespace(namespace).withName(runner).get(),
        admin.rbac().roles().inNamespace(namespace).withName(runner).get(),
        admin.rbac().roleBindings().inNamespace(namespace).withName(runner).get()).filter(Objects::nonNull).count();
  }

  private static boolean gone(String namespace, String name) {
    return admin.resources(InfracastInstallation.class).inNamespace(namespace).withName(name).get() == null;
  }

  private static Outcome shrink(String namespace, ChartOperator operator) throws Exception {
    admin.resource(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName("acme-own-jwt")
        .withNamespace(namespace).build()).withStringData(Map.of("JWT_SECRET", "0123456789abcdef0123456789abcdef"))
        .build()).create();
    admin.resources(InfracastInstallation.class).inNamespace(namespace).withName("acme").edit(i -> {
      i.getSpec().setProfile(Profile.DEVELOPMENT);
      i.getSpec().setIngress(null);
      var secrets = new SecretsSpec();
      secrets.setJwtSecretRef(new SecretKeyRef("acme-own-jwt", "JWT_SECRET"));
      i.getSpec().setSecrets(secrets);
      return i;
    });
    return await(namespace, operator, SCENARIO_TIMEOUT, () -> ready(namespace)
        && admin.resources(PodDisruptionBudget.class).inNamespace(namespace).list().getItems().isEmpty()
        && admin.resources(Ingress.class).inNamespace(namespace).list().getItems().isEmpty()
        && admin.secrets().inNamespace(namespace).withName("acme-jwt").get() == null);
  }

  /** An upgrade of an installation whose database ACK manages takes a DBSnapshot before its migration. */
  private static Outcome upgradeAck(String namespace, ChartOperator operator) throws Exception {
    admin.resources(InfracastInstallation.class).inNamespace(namespace).withName("acme").edit(i -> {
      i.getSpec().setVersion("1.1.0");
      return i;
    });
    return await(namespace, operator, SCENARIO_TIMEOUT, () -> ready(namespace) && "1.1.0".equals(admin
        .resources(InfracastInstallation.class).inNamespace(namespace).withName("acme").get().getStatus()
        .getVersion()) && !admin.genericKubernetesResources(AckRds.API_VERSION, "DBSnapshot").inNamespace(namespace)
        .list().getItems().isEmpty());
  }

  private static boolean ready(String namespace) {
    var installation = admin.resources(InfracastInstallation.class).inNamespace(namespace).withName("acme").get();
    return installation.getStatus() != null && installation.getStatus().getPhase() == Phase.Ready;
  }

  private static boolean recorded(String namespace) {
    return !admin.v1().events().inNamespace(namespace).list().getItems().isEmpty();
  }

  private static String operatorNamespace(String namespace) {
    return namespace + "-op";
  }

  /** The operator's Lease, in its own namespace, renewed since it was taken. */
  private static boolean renewed(String namespace) {
    var lease = admin.resources(Lease.class).inNamespace(operatorNamespace(namespace))
        .withName(OperatorSettings.LEASE_NAME).get();
    return lease != null && lease.getSpec().getRenewTime() != null
        && lease.getSpec().getRenewTime().isAfter(lease.getSpec().getAcquireTime());
  }

  /**
   * Waits for {@code done}, or for the operator to show it cannot get there: a forbidden request in the status,
   * or an informer it reports unhealthy.
   */
  private static Outcome await(String namespace, ChartOperator operator, Duration timeout, BooleanSupplier done)
      throws Exception {
    var deadline = System.nanoTime() + timeout.toNanos();
    var unhealthyPolls = 0;
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return new Outcome(true, "done");
      }
      var forbidden = statusMessages(namespace).filter(m -> m.toLowerCase(Locale.ROOT).contains("forbidden"))
          .findFirst();
      if (forbidden.isPresent()) {
        return new Outcome(false, "status: " + forbidden.get());
      }
      var readyz = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + operator.operator().managementPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
      // An informer registered as its kind appears is briefly reported before its first list: 2 s in a row.
      unhealthyPolls = readyz.statusCode() != 200 && !readyz.body().endsWith("{}") ? unhealthyPolls + 1 : 0;
      if (unhealthyPolls == 8) {
        return new Outcome(false, "/readyz: " + readyz.body());
      }
      Thread.sleep(250);
    }
    // A cleanup that fails has no status to say so: the installation it holds is the evidence.
    var held = admin.resources(InfracastInstallation.class).inNamespace(namespace).list().getItems().stream()
        .filter(i -> i.getMetadata().getDeletionTimestamp() != null).map(i -> i.getMetadata().getName()).toList();
    return new Outcome(false, "not done within " + timeout.toSeconds() + " s; "
        + (held.isEmpty() ? "" : "deleted, held by the finalizer: " + held + "; ") + "status: "
        + statusMessages(namespace).toList());
  }

  /** The conditions of every installation in {@code namespace}. */
  private static Stream<String> statusMessages(String namespace) {
    return admin.resources(InfracastInstallation.class).inNamespace(namespace).list().getItems().stream()
        .filter(i -> i.getStatus() != null).flatMap(i -> i.getStatus().getConditions().stream()
            .map(c -> i.getMetadata().getName() + " " + c.getType() + "=" + c.getStatus() + " " + c.getReason()
                + ": " + c.getMessage()));
  }
}
