package io.infracast.operator.data.terraform;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.infracast.operator.ShortHash;
import io.infracast.operator.api.v1alpha1.EffectiveSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Profile;
import io.infracast.operator.api.v1alpha1.TerraformSpec;
import io.infracast.operator.data.AwsNames;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.reconciler.Profiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The OpenTofu runner of the terraform provisioner: a Job of the runner image (terraform/runner/) that applies
 * (or destroys) terraform/modules/infracast-data with the installation's variables, its state in the Secret
 * {@code tfstate-default-<name>} of the installation's namespace (OpenTofu's kubernetes backend, locked by a
 * Lease). A Job is never updated: its name carries a hash of the variables and the image (which versions the
 * modules), so changed inputs make a new Job and a restarted operator finds the one it made.
 */
public final class TofuRunner {

  public static final String COMPONENT = "tofu";
  /** The hash of the inputs an apply Job applies. */
  public static final String INPUTS_LABEL = "infracast.io/tofu-inputs";
  /** A runner applies for hours at most (RDS takes minutes to an hour); past that it is failed. */
  static final long ACTIVE_DEADLINE_SECONDS = 2 * 3600;
  private static final String STATE_SECRET_PREFIX = "tfstate-default-";
  /** infracast-data's limit on its name (its RDS identifiers add suffixes). */
  private static final int MAX_NAME = 42;

  private TofuRunner() {}

  /** The runner's ServiceAccount, and its Role and RoleBinding (the kubernetes backend's Secrets and Leases). */
  public static String serviceAccount(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-tofu";
  }

  /** The Secret OpenTofu's kubernetes backend keeps the state in (made by OpenTofu, not owned: it outlives us). */
  public static String stateSecret(InfracastInstallation installation) {
    return STATE_SECRET_PREFIX + installation.getMetadata().getName();
  }

  /** The apply Job of the current inputs: {@code <name>-tf-<hash>}, the hash as long as 63 characters allow. */
  public static String applyJob(InfracastInstallation installation) {
    var name = installation.getMetadata().getName();
    return name + "-tf-" + inputsHash(installation).substring(0, Math.min(10, 59 - name.length()));
  }

  /** The Job that destroys what the state holds (deletionPolicy Delete). */
  public static String destroyJob(InfracastInstallation installation) {
    return installation.getMetadata().getName() + "-tf-destroy";
  }

  public static String image(InfracastInstallation installation) {
    return Optional.ofNullable(installation.getSpec().getTerraform()).map(TerraformSpec::getRunnerImage)
        .orElse(TerraformSpec.DEFAULT_RUNNER_IMAGE);
  }

  /** Of the variables and the image; names the apply Job. */
  static String inputsHash(InfracastInstallation installation) {
    return ShortHash.of(image(installation) + "\n" + variables(installation).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")), 8);
  }

  /**
   * infracast-data's variables (TF_VAR_ values, lists and maps as HCL) from the spec and the effective settings
   * (profile and overrides). None is secret: the module generates the password itself. Unset ones are left
   * out, so the module's own default (null: the environment's) applies.
   */
  static SortedMap<String, String> variables(InfracastInstallation installation) {
    var spec = installation.getSpec();
    EffectiveSettings settings = Profiles.effective(spec);
    var database = spec.getDatabase();
    var vars = new TreeMap<String, String>();
    // Names RDS identifiers, unique per account and region: the namespace is part of it, as for ACK.
    vars.put("name", AwsNames.identifier(installation, MAX_NAME));
    vars.put("environment", spec.getProfile() == Profile.PRODUCTION ? "prod" : "dev");
    vars.put("vpc_id", spec.getTerraform().getVpcId());
    vars.put("subnet_ids", list(database.getSubnetIds()));
    vars.put("client_security_group_ids", list(database.getSecurityGroupIds()));
    vars.put("db_instance_class", settings.getInstanceClass());
    vars.put("db_multi_az", String.valueOf(settings.getMultiAZ()));
    vars.put("db_storage_gb", String.valueOf(settings.getStorageGB()));
    // The profile's, or the spec's override: off, deletionPolicy Delete can destroy a production database.
    vars.put("db_deletion_protection", String.valueOf(settings.getDeletionProtection()));
    Optional.ofNullable(database.getKmsKeyId()).ifPresent(key -> vars.put("kms_key_arn", key));
    Optional.ofNullable(spec.getArtifacts().getBucketName()).ifPresent(bucket -> vars.put("bucket_name", bucket));
    // The operator writes DATABASE_URL into a Secret of the namespace; no Secrets Manager copy.
    vars.put("create_database_url_secret", "false");
    vars.put("tags", "{\"infracast.io/installation\" = \"" + installation.getMetadata().getName()
        + "\", \"infracast.io/namespace\" = \"" + installation.getMetadata().getNamespace()
        + "\", \"app.kubernetes.io/managed-by\" = \"" + InstallationLabels.OPERATOR_NAME + "\"}");
    return vars;
  }

  private static String list(List<String> values) {
    return Objects.requireNonNullElse(values, List.<String>of()).stream().map(v -> "\"" + v + "\"")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * A runner Job: {@code apply} or {@code destroy} in the runner image, as the runner's ServiceAccount, with the
   * variables as TF_VAR_ environment and AWS credentials (if any) through secretKeyRef only. One attempt: a
   * failed apply waits for new inputs (or for its Job to be deleted) instead of retrying into the same error.
   */
  public static Job job(InfracastInstallation installation, ObjectMeta metadata, String action) {
    var env = new ArrayList<EnvVar>();
    variables(installation).forEach((name, value) -> env.add(new EnvVar("TF_VAR_" + name, value, null)));
    env.add(new EnvVar("KUBE_IN_CLUSTER_CONFIG", "true", null));
    env.add(new EnvVar("KUBE_NAMESPACE", installation.getMetadata().getNamespace(), null));
    env.add(new EnvVar("TOFU_STATE_SUFFIX", installation.getMetadata().getName(), null));
    env.add(new EnvVar("TF_IN_AUTOMATION", "1", null));
    env.add(new EnvVar("HOME", "/tmp", null));
    Optional.ofNullable(installation.getSpec().getArtifacts().getRegion())
        .ifPresent(region -> env.add(new EnvVar("AWS_REGION", region, null)));
    Optional.ofNullable(installation.getSpec().getTerraform().getCredentialsSecretName()).ifPresent(secret -> {
      for (var key : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
        env.add(new EnvVarBuilder().withName(key).withNewValueFrom().withNewSecretKeyRef(key, secret, false)
            .endValueFrom().build());
      }
    });
    return new JobBuilder()
        .withMetadata(metadata)
        .withNewSpec()
          .withParallelism(1)
          .withCompletions(1)
          .withBackoffLimit(0)
          .withActiveDeadlineSeconds(ACTIVE_DEADLINE_SECONDS)
          .withNewTemplate()
            .withNewMetadata().withLabels(metadata.getLabels()).endMetadata()
            .withNewSpec()
              .withServiceAccountName(serviceAccount(installation))
              .withRestartPolicy("Never")
              .withNewSecurityContext().withRunAsNonRoot(true).withNewSeccompProfile().withType("RuntimeDefault")
                .endSeccompProfile().endSecurityContext()
              .addNewContainer()
                .withName("tofu")
                .withImage(image(installation))
                .withArgs(action)
                .withEnv(env)
                // The runner ends its output with OpenTofu's errors on one line and writes them here too.
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                  .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName("work").withMountPath("/tmp").endVolumeMount()
              .endContainer()
              .addNewVolume().withName("work").withNewEmptyDir().endEmptyDir().endVolume()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /** Labels of a runner Job: the installation's, and for an apply the hash of what it applies. */
  public static Map<String, String> labels(InfracastInstallation installation, boolean apply) {
    var labels = new TreeMap<>(InstallationLabels.of(installation, COMPONENT));
    if (apply) {
      labels.put(INPUTS_LABEL, inputsHash(installation));
    }
    return labels;
  }
}
