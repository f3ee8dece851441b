package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.api.v1alpha1.EffectiveSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.SecretsSpec;
import io.infracast.operator.data.ArtifactStoreState;
import io.infracast.operator.data.DataPlanes;
import io.infracast.operator.data.DatabaseState;
import io.infracast.operator.data.SecretReferences;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.infracast.operator.dependent.ApiPod;
import io.infracast.operator.migration.MigrationPlan;
import io.infracast.operator.migration.RolloutLimiter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one reconcile knows about an installation before it writes anything: the effective settings, the data
 * plane and the problems the schema cannot see. Computed once per reconcile and shared by the preconditions,
 * the dependents and the status.
 */
public record ReconcileFacts(EffectiveSettings settings, DatabaseState database, ArtifactStoreState artifacts,
    List<Problem> problems, MigrationPlan migration) {

  /** The service refuses shorter HS256 keys; say so before a pod crash-loops on it. */
  static final int MIN_JWT_SECRET_BYTES = 32;
  private static final String KEY = ReconcileFacts.class.getName();

  /** Everything the API pods need is there: data plane ready and no problem in the spec's references. */
  public boolean workloadCanRun() {
    return database.ready() && artifacts.ready() && problems.isEmpty();
  }

  /** The facts the reconciler computed for this reconcile, for the dependents and their conditions. */
  public static ReconcileFacts of(Context<InfracastInstallation> context) {
    return context.managedWorkflowAndDependentResourceContext().get(KEY, ReconcileFacts.class)
        .orElseThrow(() -> new IllegalStateException("the reconciler computes the facts before the workflow"));
  }

  /** Computes this reconcile's facts and shares them with the dependents through the context. */
  static ReconcileFacts compute(InfracastInstallation installation, Context<InfracastInstallation> context,
      RolloutLimiter limiter) {
    var live = context.getPrimaryCache().list().map(MigrationPlan::key).collect(Collectors.toSet());
    var facts = compute(installation, context.getClient(),
        canRun -> MigrationPlan.of(installation, context.getSecondaryResources(Job.class), limiter, live, canRun));
    context.managedWorkflowAndDependentResourceContext().put(KEY, facts);
    return facts;
  }

  /** @param migration plans the migration, knowing whether the workload (and so a Job) could run */
  private static ReconcileFacts compute(InfracastInstallation installation, KubernetesClient client,
      Function<Boolean, MigrationPlan> migration) {
    var settings = Profiles.effective(installation.getSpec());
    var problems = new ArrayList<Problem>();
    if (settings.getMinReplicas() > settings.getMaxReplicas()) {
      problems.add(new Problem("InvalidReplicas", "api.minReplicas " + settings.getMinReplicas()
          + " is greater than the effective api.maxReplicas " + settings.getMaxReplicas() + " (the "
          + settings.getProfile().name().toLowerCase(java.util.Locale.ROOT) + " profile's); set api.maxReplicas"));
    }
    jwtProblem(installation, client).ifPresent(problems::add);
    var database = DataPlanes.database(installation, client);
    var artifacts = DataPlanes.artifacts(installation);
    // The same test as workloadCanRun(), which needs the finished record.
    var canRun = database.ready() && artifacts.ready() && problems.isEmpty();
    return new ReconcileFacts(settings, database, artifacts, List.copyOf(problems), migration.apply(canRun));
  }

  private static Optional<Problem> jwtProblem(InfracastInstallation installation, KubernetesClient client) {
    var referenced = Optional.ofNullable(installation.getSpec().getSecrets()).map(SecretsSpec::getJwtSecretRef);
    if (referenced.isEmpty()) {
      return Optional.empty();
    }
    var ref = ApiPod.jwtSecret(installation);
    var lookup = SecretReferences.read(client, installation.getMetadata().getNamespace(), ref,
        "secrets.jwtSecretRef", "Jwt");
    if (!lookup.found()) {
      return Optional.of(new Problem(lookup.reason(), lookup.message()));
    }
    if (lookup.value().getBytes(StandardCharsets.UTF_8).length < MIN_JWT_SECRET_BYTES) {
      return Optional.of(new Problem("JwtSecretTooShort", "Secret " + ref.getName() + " key " + ref.getKey()
          + " holds fewer than " + MIN_JWT_SECRET_BYTES + " bytes; the service refuses such a JWT key"));
    }
    return Optional.empty();
  }
}
