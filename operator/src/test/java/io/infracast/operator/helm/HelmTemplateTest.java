package io.infracast.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.infracast.operator.testing.Helm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart as helm renders it for the default, namespaced and IRSA value sets, and what its schema refuses. */
class HelmTemplateTest {

  @TempDir
  Path work;

  @Test
  void chartPassesStrictLint() {
    var lint = Helm.run(work, "lint", "--strict", Helm.CHART.toString());
    assertThat(lint.exitCode()).as(lint.stdout() + lint.stderr()).isZero();
  }

  @Test
  void defaultsRunTwoReplicasWithLeaderElectionAndClusterWideRbac() {
    var objects = Helm.template(work);
    var deployment = one(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(env(deployment)).containsEntry("LEADER_ELECTION", "true").containsEntry("WATCH_NAMESPACES", "")
        .containsEntry("MANAGEMENT_PORT", "8081").containsEntry("MAX_CONCURRENT_ROLLOUTS", "5")
        .containsEntry("MAX_CONCURRENT_FIRST_INSTALLS", "50");
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("POD_NAME")).singleElement()
        .extracting(e -> e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
    assertThat(container.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("management");
      assertThat(p.getContainerPort()).isEqualTo(8081);
    });
    // The restricted Pod Security Standard.
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(pod.getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey())
        .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    assertThat(one(objects, PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(one(objects, ClusterRole.class).getRules()).isNotEmpty();
    // Leases only in the operator's own namespace.
    assertThat(all(objects, Role.class)).singleElement().satisfies(role -> {
      assertThat(role.getMetadata().getNamespace()).isEqualTo("infracast-system");
      assertThat(role.getRules()).singleElement().satisfies(rule ->
          assertThat(rule.getResources()).containsExactly("leases"));
    });
    assertThat(objects).extracting(HasMetadata::getKind).contains("Service", "ServiceAccount")
        .doesNotContain("ServiceMonitor", "PrometheusRule");
    assertThat(one(objects, ServiceAccount.class).getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void namespacedRbacGrantsExactlyTheWatchedNamespaces() {
    var objects = Helm.template(work, "--set", "rbac.scope=namespaced", "--set", "watchNamespaces={tenant-a,tenant-b}");
    assertThat(env(one(objects, Deployment.class))).containsEntry("WATCH_NAMESPACES", "tenant-a,tenant-b");
    assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("ClusterRole", "ClusterRoleBinding");
    var tenantRoles = all(objects, Role.class).stream().filter(r -> !r.getMetadata().getName().endsWith("-leader-election"));
    assertThat(tenantRoles.map(r -> r.getMetadata().getNamespace())).containsExactlyInAnyOrder("tenant-a", "tenant-b");
    assertThat(objects).filteredOn(o -> o.getKind().equals("RoleBinding"))
        .extracting(o -> o.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("tenant-a", "tenant-b", "infracast-system");
  }

  @Test
  void irsaRoleAnnotatesTheServiceAccount() {
    var arn = "arn:aws:iam::123456789012:role/infracast-operator";
    var objects = Helm.template(work, "--set", "serviceAccount.roleArn=" + arn);
    var serviceAccount = one(objects, ServiceAccount.class);
    assertThat(serviceAccount.getMetadata().getAnnotations()).containsEntry("eks.amazonaws.com/role-arn", arn);
    assertThat(one(objects, Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(serviceAccount.getMetadata().getName());
  }

  @Test
  void monitoringObjectsOnlyWhenAskedFor() {
    var objects = Helm.template(work, "--set", "metrics.serviceMonitor.enabled=true",
        "--set", "metrics.prometheusRule.enabled=true");
    assertThat(objects).extracting(HasMetadata::getKind).contains("ServiceMonitor", "PrometheusRule");
  }

  @Test
  void aTypoInValuesIsRefusedByTheSchema() {
    var typo = Helm.run(work, "template", "x", Helm.CHART.toString(), "--set", "replicaCont=3");
    assertThat(typo.exitCode()).isNotZero();
    assertThat(typo.stderr()).contains("additional properties 'replicaCont' not allowed");
  }

  @Test
  void namespacedRbacWithoutNamespacesIsRefused() {
    var missing = Helm.run(work, "template", "x", Helm.CHART.toString(), "--set", "rbac.scope=namespaced");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.stderr()).contains("/watchNamespaces").contains("minItems");
  }

  private static Map<String, String> env(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    assertThat(all(objects, type)).as("rendered %s", type.getSimpleName()).hasSize(1);
    return all(objects, type).get(0);
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
