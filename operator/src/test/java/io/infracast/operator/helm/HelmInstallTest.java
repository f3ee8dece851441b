package io.infracast.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.OperatorSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.testing.ChartOperator;
import io.infracast.operator.testing.FakeDeploymentController;
import io.infracast.operator.testing.FakeJobController;
import io.infracast.operator.testing.Helm;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.RealApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code helm install} of the chart into the real API server (RBAC authorizer on), then the operator run as the
 * chart's Deployment runs it: its two replicas with the Deployment's environment, as its ServiceAccount. Both
 * RBAC modes reconcile an installation in each watched namespace to Ready.
 */
class HelmInstallTest {

  @TempDir
  static Path work;
  private static KubernetesClient admin;
  private static Path kubeconfig;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void connect() throws Exception {
    admin = RealApiServer.newClient();
    kubeconfig = work.resolve("kubeconfig");
    Files.writeString(kubeconfig, RealApiServer.kubeConfigYaml());
  }

  @AfterAll
  static void close() {
    admin.close();
  }

  static Stream<Arguments> rbacModes() {
    return Stream.of(
        Arguments.of("cluster", List.of("helm-cluster-tenant")),
        Arguments.of("namespaced", List.of("helm-tenant-a", "helm-tenant-b")));
  }

  @ParameterizedTest(name = "rbac.scope={0}")
  @MethodSource("rbacModes")
  void installedChartReconcilesInstallationsToReady(String scope, List<String> tenants) throws Exception {
    var release = "infracast-" + scope;
    var namespace = "helm-" + scope + "-system";
    tenants.forEach(t -> admin.resource(new NamespaceBuilder().withNewMetadata().withName(t).endMetadata().build())
        .serverSideApply());
    // Watching only the test's namespaces in both modes: the shared API server holds other tests' installations.
    Helm.run(work, "install", release, Helm.CHART.toString(), "--kubeconfig", kubeconfig.toString(),
        "--namespace", namespace, "--create-namespace", "--set", "rbac.scope=" + scope,
        "--set", "watchNamespaces={" + String.join(",", tenants) + "}").orFail();
    var deployment = admin.apps().deployments().inNamespace(namespace)
        .withLabel("app.kubernetes.io/instance", release).list().getItems().get(0);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);

    var replicas = new ArrayList<ChartOperator>();
    var fakes = new ArrayList<AutoCloseable>();
    try {
      for (int i = 0; i < deployment.getSpec().getReplicas(); i++) {
        replicas.add(ChartOperator.start(deployment, release + "-pod-" + i));
      }
      for (var tenant : tenants) {
        fakes.add(new FakeDeploymentController(admin, tenant));
        fakes.add(new FakeJobController(admin, tenant));
        admin.resource(Installations.databaseSecret(tenant, "acme")).serverSideApply();
        admin.resource(Installations.development(tenant, "acme")).create();
      }
      for (var tenant : tenants) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
            admin.resources(InfracastInstallation.class).inNamespace(tenant).withName("acme").get().getStatus())
            .isNotNull().extracting(s -> s.getPhase()).isEqualTo(Phase.Ready));
      }
      var holder = admin.leases().inNamespace(namespace).withName(OperatorSettings.LEASE_NAME).get()
          .getSpec().getHolderIdentity();
      var leader = replicas.stream().filter(r -> r.operator().identity().orElseThrow().equals(holder))
          .findFirst().orElseThrow();
      for (var replica : replicas) {
        assertThat(get(replica, "/readyz").statusCode()).as("/readyz of %s", replica.operator().identity())
            .isEqualTo(200);
      }
      var metrics = get(leader, "/metrics").body();
      assertThat(metrics).contains("infracast_installations{phase=\"Ready\"} " + tenants.size() + ".0");
      assertThat(alertMetrics()).isNotEmpty().allSatisfy(name -> assertThat(metrics).containsPattern("(?m)^" + name + "[{ ]"));
    } finally {
      for (var replica : replicas) {
        replica.close();
      }
      for (var fake : fakes) {
        fake.close();
      }
      Helm.run(work, "uninstall", release, "--kubeconfig", kubeconfig.toString(), "--namespace", namespace);
    }
  }

  /** The metrics the chart's PrometheusRule alerts on. */
  private static List<String> alertMetrics() {
    var rule = HelmTemplateTest.all(Helm.template(work, "--set", "metrics.prometheusRule.enabled=true"),
        GenericKubernetesResource.class).stream().filter(o -> o.getKind().equals("PrometheusRule")).findFirst()
        .orElseThrow();
    var matcher = Pattern.compile("infracast_[a-z_]+").matcher(rule.getAdditionalProperties().get("spec").toString());
    var names = new ArrayList<String>();
    while (matcher.find()) {
      names.add(matcher.group());
    }
    return names;
  }

  private static HttpResponse<String> get(ChartOperator replica, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.operator().managementPort()
        + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
