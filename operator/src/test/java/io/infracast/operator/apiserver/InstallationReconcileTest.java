package io.infracast.operator.apiserver;

import static io.infracast.operator.testing.Installations.databaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.infracast.operator.api.v1alpha1.ApiSpec;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Phase;
import io.infracast.operator.dependent.ObjectNames;
import io.infracast.operator.testing.Installations;
import io.infracast.operator.testing.OperatorTestBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An InfracastInstallation becomes its objects, on the real API server, with a fake Deployment controller. */
class InstallationReconcileTest extends OperatorTestBase {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  private static InfracastInstallation create(InfracastInstallation installation) {
    client.resource(databaseSecret(namespace, installation.getMetadata().getName())).serverSideApply();
    return client.resource(installation).create();
  }

  private static Optional<Condition> findCondition(String name, String type) {
    var current = installation(name).get();
    if (current == null || current.getStatus() == null) {
      return Optional.empty();
    }
    return current.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static void awaitCondition(String name, String type, String status) {
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(findCondition(name, type)).get().extracting(Condition::getStatus).isEqualTo(status));
  }

  private static EnvVar env(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> name.equals(e.getName())).findFirst().orElseThrow();
  }

  @Test
  void developmentInstallationBecomesItsObjects() {
    create(Installations.development(namespace, "dev"));
    awaitCondition("dev", "Ready", "True");

    var deployment = get(Deployment.class, "dev-api");
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("infracast/vulcan-api:1.0.0");
    assertThat(container.getArgs()).containsExactly("serve");
    assertThat(env(deployment, "DATABASE_URL").getValue()).isNull();
    assertThat(env(deployment, "DATABASE_URL").getValueFrom().getSecretKeyRef().getName()).isEqualTo("dev-database");
    assertThat(env(deployment, "DATABASE_URL").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("DATABASE_URL");
    assertThat(env(deployment, "JWT_SECRET").getValue()).isNull();
    assertThat(env(deployment, "JWT_SECRET").getValueFrom().getSecretKeyRef().getName()).isEqualTo("dev-jwt");
    assertThat(List.of("ENCRYPTION_KEYS", "EVIDENCE_SIGNING_KEY")).allSatisfy(key -> assertThat(
        env(deployment, key).getValueFrom().getSecretKeyRef().getName()).isEqualTo("dev-keys"));
    assertThat(migrationJobs("dev", "1.0.0")).singleElement().satisfies(job -> assertThat(
        job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName)
        .as("migrate seals, opens and signs nothing").contains("DATABASE_URL")
        .doesNotContain("ENCRYPTION_KEYS", "EVIDENCE_SIGNING_KEY"));
    assertThat(container.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("dev-config");
    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("500m")).containsEntry("memory", new Quantity("1Gi"));
    assertThat(container.getResources().getLimits()).containsOnlyKeys("memory");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet()).as("liveness must survive a database outage").isNull();
    assertThat(container.getLivenessProbe().getTcpSocket()).isNotNull();
    assertThat(container.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(30);
    assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(60);
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getVolumeMounts()).anyMatch(m -> "/tmp".equals(m.getMountPath()));
    assertThat(pod.getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey())
        .contains("topology.kubernetes.io/zone");
    assertThat(deployment.getMetadata().getManagedFields())
        .filteredOn(f -> "infracast-operator".equals(f.getManager()))
        .allSatisfy(f -> assertThat(f.getFieldsV1().getAdditionalProperties().toString())
            .doesNotContain("f:replicas"));

    var config = get(ConfigMap.class, "dev-config").getData();
    assertThat(config).containsEntry("API_PORT", "8080").containsEntry("ARTIFACTS_BUCKET", "dev-evidence")
        .containsEntry("AWS_REGION", "us-east-1").containsEntry("MIGRATE_ON_START", "false")
        .containsEntry("PLUGIN_DIR", "/usr/local/lib/infracast/plugins")
        .doesNotContainKeys("DATABASE_URL", "JWT_SECRET");

    var jwt = get(Secret.class, "dev-jwt");
    assertThat(new String(java.util.Base64.getDecoder().decode(jwt.getData().get("JWT_SECRET")))).hasSizeGreaterThan(32);

    var hpa = get(HorizontalPodAutoscaler.class, "dev-api").getSpec();
    assertThat(hpa.getMinReplicas()).isEqualTo(1);
    assertThat(hpa.getMaxReplicas()).isEqualTo(3);
    assertThat(hpa.getMetrics().get(0).getResource().getTarget().getAverageUtilization()).isEqualTo(80);
    assertThat(hpa.getScaleTargetRef().getName()).isEqualTo("dev-api");

    var policy = get(NetworkPolicy.class, "dev-api").getSpec();
    assertThat(policy.getIngress().get(0).getPorts().get(0).getPort().getIntVal()).isEqualTo(8080);
    assertThat(policy.getIngress().get(0).getFrom().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "kube-system");
    assertThat(policy.getEgress()).flatExtracting(r -> r.getPorts()).extracting(p -> p.getPort().getIntVal())
        .containsExactlyInAnyOrder(53, 53, 5432, 443);

    assertThat(get(Service.class, "dev-api").getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
    assertThat(get(ServiceAccount.class, "dev-api").getMetadata().getAnnotations())
        .doesNotContainKey("eks.amazonaws.com/role-arn");
    assertThat(get(PodDisruptionBudget.class, "dev-api")).as("no PDB with a single replica").isNull();
    assertThat(get(Ingress.class, "dev-api")).as("no Ingress without spec.ingress").isNull();

    var status = installation("dev").get().getStatus();
    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
    assertThat(status.getVersion()).isEqualTo("1.0.0");
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(status.getEffective().getCpu()).isEqualTo("500m");
    assertThat(status.getEffective().getMaxReplicas()).isEqualTo(3);
    assertThat(status.getDatabase().getEndpoint()).isEqualTo("db.dev.internal:5432");
    assertThat(status.getUrl()).isEqualTo("http://dev-api." + namespace + ".svc:80");
    assertThat(status.getConditions()).allSatisfy(c -> {
      assertThat(c.getObservedGeneration()).isEqualTo(1L);
      assertThat(c.getLastTransitionTime()).isNotBlank();
      assertThat(c.getReason()).isNotBlank();
    });
    await().atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(namespace).list().getItems().stream()
        .map(Event::getReason).anyMatch("Available"::equals));
  }

  @Test
  void productionInstallationBecomesItsObjects() {
    create(Installations.production(namespace, "prod"));
    awaitCondition("prod", "Ready", "True");

    var container = get(Deployment.class, "prod-api").getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("1")).containsEntry("memory", new Quantity("2Gi"));
    var hpa = get(HorizontalPodAutoscaler.class, "prod-api").getSpec();
    assertThat(hpa.getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getMaxReplicas()).isEqualTo(10);
    assertThat(hpa.getMetrics().get(0).getResource().getTarget().getAverageUtilization()).isEqualTo(70);
    assertThat(get(PodDisruptionBudget.class, "prod-api").getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(get(ServiceAccount.class, "prod-api").getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/infracast-prod");

    var ingress = get(Ingress.class, "prod-api");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("alb");
    assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("prod.infracast.example.com");
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("alb.ingress.kubernetes.io/certificate-arn",
            "arn:aws:acm:us-east-1:123456789012:certificate/abc-123")
        .containsEntry("alb.ingress.kubernetes.io/ssl-redirect", "443")
        .containsEntry("alb.ingress.kubernetes.io/listen-ports", "[{\"HTTP\": 80}, {\"HTTPS\": 443}]")
        .containsEntry("alb.ingress.kubernetes.io/healthcheck-path", "/healthz")
        .containsEntry("alb.ingress.kubernetes.io/target-group-attributes",
            "deregistration_delay.timeout_seconds=30,stickiness.enabled=false");
    var metrics = ingress.getSpec().getRules().get(0).getHttp().getPaths().stream()
        .filter(path -> "/metrics".equals(path.getPath())).findFirst().orElseThrow().getBackend().getService();
    assertThat(metrics.getPort().getName()).as("answered by an ALB action, not the pods").isEqualTo("use-annotation");
    assertThat(ingress.getMetadata().getAnnotations().get("alb.ingress.kubernetes.io/actions." + metrics.getName()))
        .contains("fixed-response", "404");

    var peers = get(NetworkPolicy.class, "prod-api").getSpec().getIngress().get(0).getFrom();
    assertThat(peers).extracting(peer -> peer.getIpBlock() == null ? null : peer.getIpBlock().getCidr())
        .contains("10.0.0.0/16");
    assertThat(peers).extracting(peer -> peer.getNamespaceSelector() == null ? null
        : peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
        .contains("kube-system", "monitoring");

    var status = installation("prod").get().getStatus();
    assertThat(status.getUrl()).isEqualTo("https://prod.infracast.example.com");
    assertThat(status.getEffective().getMultiAZ()).isTrue();
    assertThat(status.getEffective().getDeletionProtection()).isTrue();
  }

  /** Every object named after the longest name the CRD admits has a name Kubernetes accepts (ObjectNamesTest). */
  @Test
  void theLongestAdmittedNameBecomesAllItsObjects() {
    var name = "tenant-" + "x".repeat(InfracastInstallation.MAX_NAME_LENGTH - "tenant-".length());
    var installation = Installations.production(namespace, name);
    installation.getSpec().setVersion("1.5.0-rc.10");
    create(installation);
    awaitCondition(name, "Ready", "True");

    var api = ObjectNames.api(installation);
    assertThat(List.of(Deployment.class, Service.class, ServiceAccount.class, HorizontalPodAutoscaler.class,
        PodDisruptionBudget.class, NetworkPolicy.class, Ingress.class))
        .allSatisfy(type -> assertThat(get(type, api)).as("%s %s", type.getSimpleName(), api).isNotNull());
    assertThat(get(ConfigMap.class, ObjectNames.config(installation))).isNotNull();
    assertThat(get(ConfigMap.class, ObjectNames.migrationLedger(installation))).isNotNull();
    assertThat(get(Secret.class, ObjectNames.generatedJwtSecret(installation))).isNotNull();
    assertThat(migrationJobs(name, "1.5.0-rc.10")).singleElement()
        .satisfies(job -> assertThat(job.getMetadata().getName()).hasSizeLessThanOrEqualTo(63));
    assertThat(installation(name).get().getStatus().getVersion()).isEqualTo("1.5.0-rc.10");
  }

  @Test
  void readyOnlyOnceTheDeploymentReportsTheVersionAvailable() {
    deployments.hold();
    try {
      create(Installations.development(namespace, "slow"));
      await().atMost(TIMEOUT).until(() -> get(Deployment.class, "slow-api") != null
          && installation("slow").get().getStatus() != null);
      awaitCondition("slow", "Progressing", "True");
      // Migrating comes first, for as long as the fake Job controller takes to report the Job done.
      await().atMost(TIMEOUT).until(() -> installation("slow").get().getStatus().getPhase() == Phase.RollingOut);
      assertThat(findCondition("slow", "Ready")).get().extracting(Condition::getStatus).isEqualTo("False");
      assertThat(installation("slow").get().getStatus().getVersion()).isNull();
    } finally {
      deployments.release();
    }
    awaitCondition("slow", "Ready", "True");
    assertThat(installation("slow").get().getStatus().getVersion()).isEqualTo("1.0.0");
  }

  @Test
  void changingTheSpecChangesWhatItShouldAndNothingElse() {
    create(Installations.development(namespace, "change"));
    awaitCondition("change", "Ready", "True");
    var deploymentVersion = get(Deployment.class, "change-api").getMetadata().getResourceVersion();
    var configVersion = get(ConfigMap.class, "change-config").getMetadata().getResourceVersion();

    editSpec("change", spec -> {
      var api = new ApiSpec();
      api.setMaxReplicas(7);
      spec.setApi(api);
    });

    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(get(HorizontalPodAutoscaler.class, "change-api").getSpec().getMaxReplicas()).isEqualTo(7));
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(installation("change").get().getStatus().getObservedGeneration()).isEqualTo(2L));
    assertThat(get(Deployment.class, "change-api").getMetadata().getResourceVersion()).isEqualTo(deploymentVersion);
    assertThat(get(ConfigMap.class, "change-config").getMetadata().getResourceVersion()).isEqualTo(configVersion);
    assertThat(installation("change").get().getStatus().getEffective().getMaxReplicas()).isEqualTo(7);
  }

  @Test
  void aDeletedOwnedObjectComesBack() {
    create(Installations.development(namespace, "heal"));
    awaitCondition("heal", "Ready", "True");
    var before = get(Service.class, "heal-api").getMetadata().getUid();

    client.resources(Service.class).inNamespace(namespace).withName("heal-api").delete();

    await().atMost(TIMEOUT).untilAsserted(() -> {
      var service = get(Service.class, "heal-api");
      assertThat(service).isNotNull();
      assertThat(service.getMetadata().getUid()).isNotEqualTo(before);
    });
  }

  @Test
  void fieldsOwnedByOthersAndTheAutoscalersReplicasSurviveReconciles() {
    create(Installations.development(namespace, "shared"));
    awaitCondition("shared", "Ready", "True");

    // Someone else (kubectl, Argo CD) adds an annotation; the autoscaler scales through the scale subresource.
    client.apps().deployments().inNamespace(namespace).withName("shared-api").patch(
        PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"metadata\":{\"annotations\":{\"team.example.com/owner\":\"platform\"}}}");
    client.apps().deployments().inNamespace(namespace).withName("shared-api").scale(3);

    // A spec change makes the operator apply the Deployment again (a new CPU target rolls nothing).
    editSpec("shared", spec -> {
      var api = new ApiSpec();
      api.setTargetCPUUtilizationPercentage(60);
      api.setContentCdnUrl("https://cdn.example.com");
      spec.setApi(api);
    });
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
        get(ConfigMap.class, "shared-config").getData()).containsEntry("CONTENT_CDN_URL", "https://cdn.example.com"));
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(get(Deployment.class, "shared-api").getSpec()
        .getTemplate().getMetadata().getAnnotations()).containsKey("infracast.io/config-hash"));

    var deployment = get(Deployment.class, "shared-api");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment.getMetadata().getAnnotations()).containsEntry("team.example.com/owner", "platform");
  }

  @Test
  void anIdleResyncMakesNoWrite() throws InterruptedException {
    create(Installations.development(namespace, "idle"));
    awaitCondition("idle", "Ready", "True");
    await().atMost(TIMEOUT).pollDelay(Duration.ofSeconds(2)).until(() -> {
      var before = writes.writes().size();
      Thread.sleep(2500);
      return writes.writes().size() == before;
    });
    writes.reset();
    var before = reconciles("idle");

    Thread.sleep(6000);

    assertThat(reconciles("idle") - before).as("resyncs ran (every 2 s in tests)").isGreaterThanOrEqualTo(2);
    assertThat(writes.writes()).as("writes during idle resyncs").isEmpty();
  }

  @Test
  void theDatabaseUrlIsCheckedExactlyAsTheServiceReadsIt() {
    client.resource(Installations.development(namespace, "url")).create();

    // No database name: the old java.net.URI check accepted it, the service refuses it, so now does the operator.
    putDatabaseUrl("url", "postgres://app:top-secret-pw@db.url.internal:5432/");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(findCondition("url", "Degraded")).get()
        .satisfies(c -> {
          assertThat(c.getReason()).isEqualTo("DatabaseUrlInvalid");
          assertThat(c.getMessage()).contains("Secret " + namespace + "/url-database key DATABASE_URL"
              + " (database.externalSecretRef) is not a valid PostgreSQL URL: no database name");
        }));
    assertThat(installation("url").get().getStatus().getConditions()).extracting(Condition::getMessage)
        .noneMatch(message -> String.valueOf(message).contains("top-secret-pw"));
    assertThat(client.v1().events().inNamespace(namespace).list().getItems()).extracting(Event::getMessage)
        .noneMatch(message -> String.valueOf(message).contains("top-secret-pw"));

    // Several hosts and a raw '@' in the password: the old check found no host, the service connects to both.
    putDatabaseUrl("url", "postgresql://app:p@ss@h1.url.internal:5432,h2.url.internal:5433/app?sslmode=require");
    awaitCondition("url", "DatabaseReady", "True");
    var status = installation("url").get().getStatus();
    assertThat(status.getDatabase().getEndpoint()).isEqualTo("h1.url.internal:5432,h2.url.internal:5433");
    assertThat(status.getConditions()).extracting(Condition::getMessage)
        .noneMatch(message -> String.valueOf(message).contains("p@ss"));
  }

  private static void putDatabaseUrl(String name, String url) {
    client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
        .withName(Installations.databaseSecretName(name)).withNamespace(namespace).endMetadata()
        .withStringData(Map.of("DATABASE_URL", url)).build()).serverSideApply();
  }

  @Test
  void aMissingSecretDegradesAndRecoversByItself() {
    var installation = Installations.development(namespace, "broken");
    client.resource(installation).create();

    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(findCondition("broken", "Degraded")).get().satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("DatabaseSecretMissing");
        assertThat(c.getMessage()).contains("Secret " + namespace + "/broken-database (database.externalSecretRef)"
            + " does not exist");
      });
    });
    assertThat(installation("broken").get().getStatus().getPhase()).isEqualTo(Phase.Degraded);
    assertThat(get(Deployment.class, "broken-api")).isNull();
    assertThat(client.batch().v1().jobs().inNamespace(namespace).withLabel("app.kubernetes.io/instance", "broken")
        .list().getItems()).as("no migration Job that could not even read its Secrets").isEmpty();
    assertThat(findCondition("broken", "Migrated")).get().extracting(Condition::getReason)
        .isEqualTo("WaitingForDataPlane");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(client.v1().events().inNamespace(namespace).list()
        .getItems()).anySatisfy(event -> {
          assertThat(event.getInvolvedObject().getName()).isEqualTo("broken");
          assertThat(event.getType()).isEqualTo("Warning");
          assertThat(event.getReason()).isEqualTo("DatabaseSecretMissing");
        }));

    client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
        .withName("broken-database").withNamespace(namespace).endMetadata()
        .withStringData(Map.of("URL", "postgres://x@db:5432/x")).build()).create();
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(findCondition("broken", "Degraded")).get()
        .satisfies(c -> {
          assertThat(c.getReason()).isEqualTo("DatabaseSecretKeyMissing");
          assertThat(c.getMessage()).contains("has no key DATABASE_URL");
        }));

    client.resource(databaseSecret(namespace, "broken")).serverSideApply();
    awaitCondition("broken", "Degraded", "False");
    awaitCondition("broken", "Ready", "True");
  }

  @Test
  void theGeneratedJwtSecretIsKeptAcrossReconcilesAndOperatorRestarts() throws Exception {
    create(Installations.development(namespace, "keys"));
    awaitCondition("keys", "Ready", "True");
    var key = get(Secret.class, "keys-jwt").getData().get("JWT_SECRET");

    stopOperatorProcess();
    startOperatorProcess();
    editSpec("keys", spec -> {
      var api = new ApiSpec();
      api.setMaxReplicas(2);
      spec.setApi(api);
    });
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(get(HorizontalPodAutoscaler.class, "keys-api").getSpec().getMaxReplicas()).isEqualTo(2));

    assertThat(get(Secret.class, "keys-jwt").getData().get("JWT_SECRET")).isEqualTo(key);
  }
}
