package io.infracast.operator.data.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.contract.DatabaseUrl;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.ArtifactStoreState;
import io.infracast.operator.data.DatabaseState;
import io.infracast.operator.migration.JobFailures;
import io.infracast.operator.migration.MigrationPlan;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The database and the bucket of the terraform provisioner, from its apply Job and the outputs OpenTofu keeps in
 * its state Secret. The operator reads the outputs from the state (gzip'd JSON) rather than from a Secret the
 * runner writes: the runner then needs no access beyond what the kubernetes backend itself uses. Outputs of an
 * earlier apply keep serving while a new one runs.
 */
public final class TofuDataPlane {

  private static final String KEY = TofuDataPlane.class.getName();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** infracast-data's outputs that the pods need (terraform/modules/infracast-data/outputs.tf). */
  public record Outputs(String endpoint, int port, String database, String username, String password,
      String bucket, String region) {

    public String databaseUrl() {
      return DatabaseUrl.of(endpoint, port, database, username, password).withCredentials();
    }

    String hostPort() {
      return endpoint + ":" + port;
    }
  }

  /**
   * What one reconcile saw: the apply Job of the current inputs, why it failed (if it did: OpenTofu's errors,
   * from its pod) and the state's outputs.
   */
  private record Seen(String jobName, Optional<Job> job, Optional<String> failure, Optional<Outputs> outputs) {

    boolean completed() {
      return job.filter(MigrationPlan::completed).isPresent();
    }

    String failedMessage() {
      return "Job " + jobName + " applying terraform/modules/infracast-data failed: " + failure().orElseThrow()
          + "; change the inputs to apply again, or delete the Job to retry them";
    }
  }

  private TofuDataPlane() {}

  public static DatabaseState database(InfracastInstallation installation, KubernetesClient client,
      JobFailures jobFailures, Context<InfracastInstallation> context) {
    var seen = seen(installation, client, jobFailures, context);
    if (seen.failure().isPresent()) {
      return DatabaseState.notReady("TofuApplyFailed", seen.failedMessage());
    }
    if (seen.outputs().isPresent()) {
      var outputs = seen.outputs().get();
      return DatabaseState.ready("TofuApplied", seen.completed()
          ? "Job " + seen.jobName() + " applied terraform/modules/infracast-data; PostgreSQL at " + outputs.hostPort()
          : "PostgreSQL at " + outputs.hostPort() + " (last apply) while Job " + seen.jobName()
              + " applies the changed inputs", outputs.hostPort());
    }
    if (seen.completed()) {
      return DatabaseState.notReady("TofuOutputsMissing", "Job " + seen.jobName() + " completed, but the state in"
          + " Secret " + TofuRunner.stateSecret(installation) + " holds no endpoint, port, database, username,"
          + " password, bucket and region outputs: is the runner image's infracast-data module this operator's?");
    }
    return DatabaseState.provisioning("TofuApplying", "Job " + seen.jobName()
        + " is applying terraform/modules/infracast-data");
  }

  public static ArtifactStoreState artifacts(InfracastInstallation installation, KubernetesClient client,
      JobFailures jobFailures, Context<InfracastInstallation> context) {
    var seen = seen(installation, client, jobFailures, context);
    if (seen.outputs().isPresent()) {
      var outputs = seen.outputs().get();
      return ArtifactStoreState.ready("TofuApplied", "bucket " + outputs.bucket() + " in " + outputs.region(),
          outputs.bucket(), outputs.region());
    }
    // The same apply makes both: its failure is DatabaseReady's problem, reported once.
    return ArtifactStoreState.provisioning(seen.failure().isPresent() ? "TofuApplyFailed" : "TofuApplying",
        "the bucket comes from Job " + seen.jobName() + " (see DatabaseReady)");
  }

  /** The outputs this reconcile read, for the DATABASE_URL Secret. */
  public static Optional<Outputs> outputs(Context<InfracastInstallation> context) {
    return context.managedWorkflowAndDependentResourceContext().get(KEY, Seen.class).flatMap(Seen::outputs);
  }

  private static Seen seen(InfracastInstallation installation, KubernetesClient client, JobFailures jobFailures,
      Context<InfracastInstallation> context) {
    var shared = context.managedWorkflowAndDependentResourceContext();
    return shared.get(KEY, Seen.class).orElseGet(() -> {
      var jobName = TofuRunner.applyJob(installation);
      var job = context.getSecondaryResourcesAsStream(Job.class)
          .filter(j -> jobName.equals(j.getMetadata().getName())).findFirst();
      var state = client.secrets().inNamespace(installation.getMetadata().getNamespace())
          .withName(TofuRunner.stateSecret(installation)).get();
      var seen = new Seen(jobName, job, job.flatMap(j -> jobFailures.read(client, j)), outputs(state));
      shared.put(KEY, seen);
      return seen;
    });
  }

  /** The outputs in a state Secret of the kubernetes backend; empty without the Secret or its outputs. */
  public static Optional<Outputs> outputs(Secret state) {
    if (state == null || state.getData() == null || !state.getData().containsKey("tfstate")) {
      return Optional.empty();
    }
    JsonNode outputs;
    try (var in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder()
        .decode(state.getData().get("tfstate"))))) {
      outputs = JSON.readTree(in).path("outputs");
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    var names = new String[] {"endpoint", "port", "database", "username", "password", "bucket", "region"};
    for (var name : names) {
      if (!outputs.path(name).path("value").isValueNode() || outputs.path(name).path("value").isNull()) {
        return Optional.empty();
      }
    }
    return Optional.of(new Outputs(text(outputs, "endpoint"), outputs.path("port").path("value").asInt(),
        text(outputs, "database"), text(outputs, "username"), text(outputs, "password"), text(outputs, "bucket"),
        text(outputs, "region")));
  }

  private static String text(JsonNode outputs, String name) {
    return outputs.path(name).path("value").asText();
  }
}
