package io.infracast.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infracast.operator.api.v1alpha1.EffectiveSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Profile;
import io.infracast.operator.reconciler.Profiles;
import io.infracast.operator.testing.RealApiServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad InfracastInstallations are refused by the API server itself, with a message that says what to fix. The CRD
 * comes from the committed {@code crds/} file, so this tests exactly what users install.
 */
class CrdValidationTest {

  private static final String NS = "crd-validation-test";

  /** A valid development CR; each case breaks one thing in a fresh copy of it. */
  private static final String BASE = """
      apiVersion: infracast.io/v1alpha1
      kind: InfracastInstallation
      metadata:
        name: base
      spec:
        profile: development
        version: 1.4.2
        database:
          provisioner: external
          externalSecretRef:
            name: acme-database
        artifacts:
          provisioner: external
          bucketName: acme-evidence
          region: us-east-1
      """;

  /** Every field set, each to a value its pattern or range accepts. */
  private static final String FULL_PRODUCTION = """
      apiVersion: infracast.io/v1alpha1
      kind: InfracastInstallation
      metadata:
        name: full-production
      spec:
        profile: production
        version: 2.0.0-rc.1
        image:
          repository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/infracast/vulcan-api
          pullPolicy: Always
          pullSecrets: [ecr-pull]
        api:
          minReplicas: 3
          maxReplicas: 20
          targetCPUUtilizationPercentage: 65
          resources:
            cpu: 1500m
            memory: 3Gi
          env:
            - name: LOG_LEVEL
              value: info
          pluginDir: /opt/infracast/plugins
          contentCdnUrl: https://cdn.example.com
        secrets:
          jwtSecretRef:
            name: acme-jwt
            key: JWT_SECRET
        database:
          provisioner: ack
          instanceClass: db.r6g.xlarge
          engineVersion: "15.7"
          multiAZ: true
          storageGB: 200
          maxStorageGB: 2000
          backupRetentionDays: 35
          performanceInsights: true
          deletionProtection: true
          kmsKeyId: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
          subnetIds: [subnet-0a1b2c3d, subnet-0e1f2a3b]
          securityGroupIds: [sg-0123abcd]
          deletionPolicy: Retain
        artifacts:
          provisioner: ack
          bucketName: acme.evidence-prod
          region: us-gov-west-1
          kmsKeyId: arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/infracast-evidence
        ingress:
          host: infracast.acme.example.com
          className: alb
          certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab
          controllerNamespace: kube-system
        serviceAccount:
          roleArn: arn:aws:iam::123456789012:role/infracast-acme
        migration:
          backoffLimit: 3
          activeDeadlineSeconds: 3600
          snapshotBeforeMigrate: true
      """;

  private static final EffectiveSettings DEVELOPMENT = Profiles.preset(Profile.DEVELOPMENT);
  private static final EffectiveSettings PRODUCTION = Profiles.preset(Profile.PRODUCTION);

  private static KubernetesClient client;

  @BeforeAll
  static void applyCommittedCrd() throws Exception {
    client = RealApiServer.newClient();
    RealApiServer.applyCrd(client, RealApiServer.COMMITTED_CRD);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
    }
  }

  static Stream<Arguments> invalidInstallations() {
    return Stream.of(
        // What the installation is.
        invalid("unknown profile", set("profile", "staging"),
            "spec.profile: Unsupported value: \"staging\": supported values: \"development\", \"production\""),
        invalid("missing profile", remove("profile"), "spec.profile: Required value"),
        invalid("missing version", remove("version"), "spec.version: Required value"),
        invalid("version latest", set("version", "latest"), notSemantic("latest")),
        invalid("version without patch", set("version", "1.5"), notSemantic("1.5")),
        invalid("version with a v", set("version", "v1.2.3"), notSemantic("v1.2.3")),
        invalid("version with build metadata", set("version", "1.2.3+build"), notSemantic("1.2.3+build")),
        invalid("version with a leading zero", set("version", "01.2.3"), notSemantic("01.2.3")),
        invalid("prerelease with a leading zero", set("version", "1.2.3-rc.01"), notSemantic("1.2.3-rc.01")),
        invalid("version ending with a dash", set("version", "1.2.3-rc-"),
            "spec.version: Invalid value: \"string\": version \"1.2.3-rc-\" must not end with a dash: it is also a"
                + " label value, which ends with a letter or digit"),
        invalid("version longer than a label value", set("version", "1.2.3-" + "a".repeat(58)),
            "spec.version: Too long: may not be more than 63 bytes"),
        invalid("version as an unquoted YAML number", set("version", 1.4),
            "spec.version: Invalid value: \"number\": spec.version in body must be of type string: \"number\""),
        invalid("missing database", remove("database"), "spec.database: Required value"),
        invalid("missing artifacts", remove("artifacts"), "spec.artifacts: Required value"),

        // The API pods and their autoscaling.
        invalid("zero minReplicas", set("api.minReplicas", 0),
            "spec.api.minReplicas: Invalid value: 0: spec.api.minReplicas"
                + " in body should be greater than or equal to 1"),
        invalid("negative minReplicas", set("api.minReplicas", -2),
            "spec.api.minReplicas: Invalid value: -2: spec.api.minReplicas"
                + " in body should be greater than or equal to 1"),
        invalid("maxReplicas over 100", set("api.maxReplicas", 101),
            "spec.api.maxReplicas: Invalid value: 101: spec.api.maxReplicas"
                + " in body should be less than or equal to 100"),
        invalid("minReplicas above maxReplicas", set("api.minReplicas", 5).andThen(set("api.maxReplicas", 2)),
            "spec.api.minReplicas: Invalid value: \"object\": api.minReplicas must be less than or equal to"
                + " api.maxReplicas"),
        invalid("replicas as a string", set("api.minReplicas", "two"),
            "spec.api.minReplicas: Invalid value: \"string\": spec.api.minReplicas in body must be of type integer"),
        invalid("target CPU below 10", set("api.targetCPUUtilizationPercentage", 5),
            "spec.api.targetCPUUtilizationPercentage in body should be greater than or equal to 10"),
        invalid("target CPU over 100", set("api.targetCPUUtilizationPercentage", 150),
            "spec.api.targetCPUUtilizationPercentage"
                + " in body should be less than or equal to 100"),
        invalid("cpu not a quantity", set("api.resources.cpu", "lots"),
            "api.resources.cpu \"lots\" must be a positive Kubernetes quantity such as 500m or 1"),
        invalid("zero cpu", set("api.resources.cpu", "0"),
            "api.resources.cpu \"0\" must be a positive Kubernetes quantity such as 500m or 1"),
        invalid("memory with a space and GB", set("api.resources.memory", "2 GB"),
            "api.resources.memory \"2 GB\" must be a positive Kubernetes quantity such as 1Gi or 512Mi (not GB)"),
        invalid("contentCdnUrl not a URL", set("api.contentCdnUrl", "cdn.example.com"),
            "api.contentCdnUrl \"cdn.example.com\" must be an http or https URL such as https://cdn.example.com"),
        invalid("pullPolicy unknown", set("image.pullPolicy", "IfNeeded"),
            "spec.image.pullPolicy: Unsupported value: \"IfNeeded\": supported values: \"Always\", \"IfNotPresent\","
                + " \"Never\""),

        // Overrides that contradict the preset they are merged with (reconciler.Profiles).
        invalid("minReplicas above the development preset maxReplicas",
            set("api.minReplicas", DEVELOPMENT.getMaxReplicas() + 1),
            "spec.api.minReplicas: Invalid value: \"object\": api.minReplicas is above the profile's maxReplicas"
                + " (development 3, production 10): set api.maxReplicas as well"),
        invalid("minReplicas above the production preset maxReplicas",
            set("profile", "production").andThen(set("api.minReplicas", PRODUCTION.getMaxReplicas() + 1)),
            "api.minReplicas is above the profile's maxReplicas"),
        invalid("maxReplicas below the production preset minReplicas",
            set("profile", "production").andThen(set("api.maxReplicas", PRODUCTION.getMinReplicas() - 1)),
            "spec.api.maxReplicas: Invalid value: \"object\": api.maxReplicas is below the profile's minReplicas"
                + " (development 1, production 2): set api.minReplicas as well"),
        invalid("maxStorageGB below the production preset storageGB",
            set("profile", "production").andThen(set("database.maxStorageGB", PRODUCTION.getStorageGB() - 1)),
            "spec.database.maxStorageGB: Invalid value: \"object\": database.maxStorageGB is below the profile's"
                + " storageGB (development 20, production 100): set database.storageGB as well"),

        // The database.
        invalid("external database without a Secret", remove("database.externalSecretRef"),
            "database.externalSecretRef is required when database.provisioner is external: name the Secret that"
                + " holds DATABASE_URL (or give database.credentialsSecretArn, a secret in AWS Secrets Manager)"),
        invalid("database credentials ARN not a Secrets Manager ARN",
            remove("database.externalSecretRef").andThen(set("database.credentialsSecretArn",
                "arn:aws:ssm:us-east-1:123456789012:parameter/acme-db")),
            "database.credentialsSecretArn \"arn:aws:ssm:us-east-1:123456789012:parameter/acme-db\" must be a Secrets"
                + " Manager secret ARN such as arn:aws:secretsmanager:us-east-1:123456789012:secret:<name>"),
        invalid("database credentials ARN and Secret both",
            set("database.credentialsSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme-db"),
            "spec.database.credentialsSecretArn: Invalid value: \"object\": set database.externalSecretRef (a Secret"
                + " in the installation's namespace) or database.credentialsSecretArn (a secret in AWS Secrets"
                + " Manager), not both"),
        invalid("database credentials ARN with ack",
            set("database.provisioner", "ack").andThen(remove("database.externalSecretRef"))
                .andThen(set("database.credentialsSecretArn",
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme-db")),
            "database.credentialsSecretArn is only for database.provisioner external"),
        invalid("JWT ARN and JWT Secret both",
            set("secrets.jwtSecretRef", Map.of("name", "acme-jwt")).andThen(set("secrets.jwtSecretArn",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme-jwt")),
            "spec.secrets.jwtSecretArn: Invalid value: \"object\": set secrets.jwtSecretRef (a Secret in the"
                + " installation's namespace) or secrets.jwtSecretArn (a secret in AWS Secrets Manager), not both"),
        invalid("JWT ARN without an account id", set("secrets.jwtSecretArn",
                "arn:aws:secretsmanager:us-east-1::secret:acme-jwt"),
            "secrets.jwtSecretArn \"arn:aws:secretsmanager:us-east-1::secret:acme-jwt\" must be a Secrets Manager"
                + " secret ARN"),
        invalid("unknown database provisioner", set("database.provisioner", "rds"),
            "spec.database.provisioner: Unsupported value: \"rds\": supported values: \"ack\", \"external\","
                + " \"terraform\""),
        invalid("Delete while deletionProtection is true",
            set("database.deletionPolicy", "Delete").andThen(set("database.deletionProtection", true)),
            "database.deletionPolicy Delete deletes the RDS instance, which deletion protection forbids"),
        invalid("Snapshot while deletionProtection is true",
            set("database.deletionPolicy", "Snapshot").andThen(set("database.deletionProtection", true)),
            "database.deletionPolicy Snapshot deletes the RDS instance, which deletion protection forbids (the"
                + " production profile turns it on): set database.deletionProtection to false first, or keep"
                + " deletionPolicy Retain"),
        invalid("Delete on production without deletionProtection false",
            set("profile", "production").andThen(set("database.deletionPolicy", "Delete")),
            "(the production profile turns it on): set database.deletionProtection to false first"),
        invalid("unknown deletionPolicy", set("database.deletionPolicy", "Destroy"),
            "spec.database.deletionPolicy: Unsupported value: \"Destroy\": supported values: \"Delete\", \"Retain\","
                + " \"Snapshot\""),
        invalid("engineVersion 14", set("database.engineVersion", "14"),
            "database.engineVersion \"14\" is not supported: Infracast needs PostgreSQL 15"),
        invalid("instanceClass without db. prefix", set("database.instanceClass", "r5.large"),
            "database.instanceClass \"r5.large\" must be an RDS instance class such as db.t3.medium or db.r5.large"),
        invalid("storageGB below 20", set("database.storageGB", 10),
            "spec.database.storageGB: Invalid value: 10: spec.database.storageGB in body should be greater than or"
                + " equal to 20"),
        invalid("maxStorageGB below storageGB",
            set("database.storageGB", 200).andThen(set("database.maxStorageGB", 100)),
            "database.maxStorageGB must be at least database.storageGB"),
        invalid("backup retention over 35 days", set("database.backupRetentionDays", 60),
            "spec.database.backupRetentionDays in body should be less than or equal to 35"),
        invalid("subnet id with underscore", set("database.subnetIds", List.of("subnet-0a1b", "subnet_0c2d")),
            "spec.database.subnetIds[1]: Invalid value: \"subnet_0c2d\": spec.database.subnetIds[1] in body should"
                + " match '^subnet-[0-9a-f]+$'"),
        invalid("ingress source CIDR without a prefix length",
            set("ingress.host", "infracast.example.com").andThen(set("ingress.sourceCidrs", List.of("10.0.0.0"))),
            "spec.ingress.sourceCidrs[0]: Invalid value: \"10.0.0.0\""),
        invalid("security group id not sg-", set("database.securityGroupIds", List.of("0123abcd")),
            "spec.database.securityGroupIds[0]: Invalid value: \"0123abcd\": spec.database.securityGroupIds[0] in body"
                + " should match '^sg-[0-9a-f]+$'"),

        // The evidence bucket.
        invalid("external bucket without bucketName", remove("artifacts.bucketName"),
            "artifacts.bucketName and artifacts.region are required when artifacts.provisioner is external"),
        invalid("external bucket without region", remove("artifacts.region"),
            "artifacts.bucketName and artifacts.region are required when artifacts.provisioner is external"),
        invalid("bucket name with uppercase", set("artifacts.bucketName", "Acme-Evidence"),
            "artifacts.bucketName \"Acme-Evidence\" is not a valid S3 bucket name: use 3 to 63 lowercase letters"),
        invalid("bucket name with underscore", set("artifacts.bucketName", "acme_evidence"),
            "artifacts.bucketName \"acme_evidence\" is not a valid S3 bucket name"),
        invalid("region not a region", set("artifacts.region", "US East"),
            "artifacts.region \"US East\" must be an AWS region code such as us-east-1"),
        invalid("ack bucket without bucketName",
            set("artifacts.provisioner", "ack").andThen(remove("artifacts.bucketName")),
            "artifacts.bucketName is required when artifacts.provisioner is ack: S3 bucket names are global"),
        invalid("bucket KMS key not an ARN", set("artifacts.kmsKeyId", "alias/evidence"),
            "artifacts.kmsKeyId \"alias/evidence\" must be a KMS key or alias ARN such as"
                + " arn:aws:kms:us-east-1:123456789012:key/<key-id>"),

        // Ingress and identity.
        invalid("ingress without host", set("ingress.className", "alb"), "spec.ingress.host: Required value"),
        invalid("certificate ARN not an ACM ARN",
            set("ingress.host", "infracast.example.com").andThen(set("ingress.certificateArn", "my-certificate")),

            "ingress.certificateArn \"my-certificate\" must be an ACM certificate ARN such as arn:aws:acm:"),
        invalid("IAM role ARN with a short account id",
            set("serviceAccount.roleArn", "arn:aws:iam::1234:role/infracast"),
            "serviceAccount.roleArn \"arn:aws:iam::1234:role/infracast\" must be an IAM role ARN"
                + " with a 12-digit account id"),
        invalid("migration deadline under a minute", set("migration.activeDeadlineSeconds", 10),
            "spec.migration.activeDeadlineSeconds in body should be greater than or equal to 60"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidInstallations")
  void apiServerRefusesWithAMessageThatSaysWhatToFix(String name, Consumer<Map<String, Object>> breakIt,
      String expectedMessage) {
    var cr = base(slug(name));
    breakIt.accept(spec(cr));

    assertThatThrownBy(() -> client.resource(cr).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(expectedMessage);
    assertThat(client.genericKubernetesResources("infracast.io/v1alpha1", "InfracastInstallation").inNamespace(NS)
        .withName(slug(name)).get()).isNull();
  }

  @Test
  void acceptsAMinimalDevelopmentAndAFullProductionInstallation() {
    var minimal = client.resource(base("minimal-development")).create();
    assertThat(minimal.getMetadata().getUid()).isNotBlank();

    var full = client.getKubernetesSerialization().unmarshal(FULL_PRODUCTION, InfracastInstallation.class);
    full.getMetadata().setNamespace(NS);
    var created = client.resources(InfracastInstallation.class).inNamespace(NS).resource(full).create();
    assertThat(created.getSpec()).isEqualTo(full.getSpec());
  }

  @Test
  void acceptsSecretsManagerArnsInPlaceOfSecrets() {
    var cr = base("secrets-from-aws");
    remove("database.externalSecretRef")
        .andThen(set("database.credentialsSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/db"))
        .andThen(set("secrets.jwtSecretArn", "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:jwt-Ab"))
        .accept(spec(cr));
    assertThat(client.resource(cr).create().getMetadata().getUid()).isNotBlank();
  }

  /** The operator names objects after the installation: a name that would make one of them unusable is refused. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("unusableNames")
  void apiServerRefusesANameThatWouldGiveAnObjectAnUnusableName(String name, String expectedMessage) {
    assertThatThrownBy(() -> client.resource(base(name)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(expectedMessage);
  }

  static Stream<Arguments> unusableNames() {
    var tooLong = "a".repeat(InfracastInstallation.MAX_NAME_LENGTH + 1);
    var notALabel = " must be lowercase letters, digits and dashes, start with a letter and end with a letter or"
        + " digit (a DNS-1035 label): its Service is named after it";
    return Stream.of(
        Arguments.of(tooLong, "Invalid value: \"object\": metadata.name \"" + tooLong + "\" is longer than 52"
            + " characters: the operator names objects after it, the longest <name>-migrations, and"
            + " Kubernetes allows 63"),
        Arguments.of("a".repeat(63), "is longer than 52 characters"),
        Arguments.of("acme.prod", "metadata.name \"acme.prod\"" + notALabel),
        Arguments.of("1acme", "metadata.name \"1acme\"" + notALabel));
  }

  @Test
  void acceptsTheLongestAdmittedNameAndAPrereleaseSortedByNumber() {
    var longest = base("a".repeat(InfracastInstallation.MAX_NAME_LENGTH));
    set("version", "1.5.0-rc.10").accept(spec(longest));
    assertThat(client.resource(longest).create().getMetadata().getUid()).isNotBlank();
  }

  /** The CEL rules repeat the presets' numbers; overrides right at the preset's bound must still be accepted. */
  @ParameterizedTest
  @EnumSource(Profile.class)
  void presetAwareRulesAgreeWithProfiles(Profile profile) {
    var preset = Profiles.preset(profile);
    var profileName = profile.name().toLowerCase(Locale.ROOT);
    List<Consumer<Map<String, Object>>> atTheBound = List.of(
        set("api.minReplicas", preset.getMaxReplicas()),
        set("api.maxReplicas", preset.getMinReplicas()),
        set("database.maxStorageGB", preset.getStorageGB()));
    for (var override : atTheBound) {
      var cr = base("preset-bound-" + profileName);
      set("profile", profileName).andThen(override).accept(spec(cr));
      client.resource(cr).dryRun().create();
    }
  }

  private static GenericKubernetesResource base(String name) {
    var cr = client.getKubernetesSerialization().unmarshal(BASE, GenericKubernetesResource.class);
    cr.getMetadata().setName(name);
    cr.getMetadata().setNamespace(NS);
    return cr;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource cr) {
    return (Map<String, Object>) cr.getAdditionalProperties().get("spec");
  }

  private static String notSemantic(String version) {
    return "spec.version: Invalid value: \"string\": version \"" + version + "\" must be a semantic version such as"
        + " 1.4.2 or 1.5.0-rc.1 (the image tag): no leading v, no leading zeros, no +build metadata";
  }

  private static Arguments invalid(String name, Consumer<Map<String, Object>> breakIt, String expectedMessage) {
    return Arguments.of(name, breakIt, expectedMessage);
  }

  /** Sets a dotted path under spec, creating the objects on the way. */
  private static Consumer<Map<String, Object>> set(String path, Object value) {
    return spec -> {
      var keys = path.split("\\.");
      parent(spec, keys).put(keys[keys.length - 1], value instanceof List<?> l ? new ArrayList<>(l) : value);
    };
  }

  private static Consumer<Map<String, Object>> remove(String path) {
    return spec -> {
      var keys = path.split("\\.");
      assertThat(parent(spec, keys).remove(keys[keys.length - 1])).as("the base CR has spec.%s", path).isNotNull();
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parent(Map<String, Object> spec, String[] keys) {
    Map<String, Object> map = spec;
    for (int i = 0; i < keys.length - 1; i++) {
      map = (Map<String, Object>) map.computeIfAbsent(keys[i], k -> new LinkedHashMap<String, Object>());
    }
    return map;
  }

  private static String slug(String name) {
    var slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return slug.length() > InfracastInstallation.MAX_NAME_LENGTH
        ? slug.substring(0, InfracastInstallation.MAX_NAME_LENGTH).replaceAll("-$", "") : slug;
  }
}
