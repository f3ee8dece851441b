package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.api.v1alpha1.EffectiveSettings;
import io.infracast.contract.RuntimeSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.SecretKeyRef;
import io.infracast.operator.api.v1alpha1.SecretsSpec;
import io.infracast.operator.data.ArtifactStoreState;
import io.infracast.operator.data.DataPlanes;
import io.infracast.operator.data.DatabaseState;
import io.infracast.operator.data.SecretReferences;
import io.infracast.operator.data.ack.AckApis;
import io.infracast.operator.data.ack.AckRds;
import io.infracast.operator.data.ack.DBSnapshot;
import io.infracast.operator.data.aws.AwsFacts;
import io.infracast.operator.data.aws.AwsReads;
import io.infracast.operator.dependent.ApiPod;
import io.infracast.operator.dependent.DeploymentDependentResource;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.dependent.ObjectNames;
import io.infracast.operator.dependent.ServiceKeysSecretDependentResource;
import io.infracast.operator.migration.JobFailures;
import io.infracast.operator.migration.MigrationJobNames;
import io.infracast.operator.migration.MigrationLedger;
import io.infracast.operator.migration.MigrationPlan;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What one reconcile knows about an installation before it writes anything: the effective settings, the data
 * plane, the problems the schema cannot see, the migration plan and whether the API pods' template would change.
 * Gathered once per reconcile and shared by the preconditions, the dependents and the status.
 *
 * @param ackServed which of ACK's kinds the cluster serves (see AckApis), so their informers may run
 * @param ledger the migration ledger as last written
 * @param templateChanges the Deployment is to be created, or its pod template differs from the desired one
 * @param rolloutHeld the template change waits for a fleet rollout slot: the Deployment keeps its template
 * @param aws what AWS itself answered: secrets from Secrets Manager, the external bucket's protection
 */
public record ReconcileFacts(EffectiveSettings settings, DatabaseState database, ArtifactStoreState artifacts,
    AckApis.Served ackServed, List<Problem> problems, MigrationPlan migration, MigrationLedger ledger,
    boolean templateChanges, boolean rolloutHeld, AwsFacts aws) {

  /** The service refuses shorter HS256 keys; say so before a pod crash-loops on it. */
  public static final int MIN_JWT_SECRET_BYTES = 32;
  private static final String KEY = ReconcileFacts.class.getName();

  /**
   * Everything the API pods need is there: data plane ready, no problem in the spec's references, and every
   * secret read from AWS written into the operator's Secret the pods read.
   */
  public boolean workloadCanRun() {
    return canRun(database, artifacts, problems, aws);
  }

  private static boolean canRun(DatabaseState database, ArtifactStoreState artifacts, List<Problem> problems,
      AwsFacts aws) {
    return database.ready() && artifacts.ready() && problems.isEmpty() && !aws.secrets().pending();
  }

  /** The facts the reconciler shared for this reconcile, for the dependents and their conditions. */
  public static ReconcileFacts of(Context<InfracastInstallation> context) {
    return shared(context)
        .orElseThrow(() -> new IllegalStateException("the reconciler gathers the facts before the workflow"));
  }

  static Optional<ReconcileFacts> shared(Context<InfracastInstallation> context) {
    return context.managedWorkflowAndDependentResourceContext().get(KEY, ReconcileFacts.class);
  }

  /** Makes these facts the ones the workflow's dependents and conditions see. */
  void share(Context<InfracastInstallation> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
  }

  ReconcileFacts withMigration(MigrationPlan plan) {
    return new ReconcileFacts(settings, database, artifacts, ackServed, problems, plan, ledger, templateChanges,
        rolloutHeld, aws);
  }

  private ReconcileFacts withTemplateChanges() {
    return new ReconcileFacts(settings, database, artifacts, ackServed, problems, migration, ledger, true,
        rolloutHeld, aws);
  }

  ReconcileFacts withRolloutHeld() {
    return new ReconcileFacts(settings, database, artifacts, ackServed, problems, migration, ledger,
        templateChanges, true, aws);
  }

  /**
   * Reads what this reconcile needs: the referenced Secrets (from the API server), the owned Jobs, ledger and
   * Deployment (from the informer caches) and why a failed Job failed (from its pods, once per Job). Takes no
   * rollout slot: the reconciler decides that.
   */
  static ReconcileFacts gather(InfracastInstallation installation, Context<InfracastInstallation> context,
      AckApis ackApis, AwsReads awsReads, JobFailures jobFailures) {
    var client = context.getClient();
    var settings = Profiles.effective(installation.getSpec());
    var problems = new ArrayList<Problem>();
    if (settings.getMinReplicas() > settings.getMaxReplicas()) {
      problems.add(new Problem("InvalidReplicas", "api.minReplicas " + settings.getMinReplicas()
          + " is greater than the effective api.maxReplicas " + settings.getMaxReplicas() + " (the "
          + settings.getProfile().name().toLowerCase(Locale.ROOT) + " profile's); set api.maxReplicas"));
    }
    jwtProblem(installation, context).ifPresent(problems::add);
    serviceKeysProblem(installation, context).ifPresent(problems::add);
    var aws = AwsFacts.gather(installation, awsReads, List.copyOf(context.getSecondaryResources(Secret.class)));
    aws.secrets().jwtProblem().ifPresent(jwt -> problems.add(new Problem(jwt.reason(), jwt.message())));
    var ackServed = ackApis.served(installation, client);
    var database = DataPlanes.database(installation, client, ackServed.databases(), aws.secrets(), jobFailures,
        context);
    var artifacts = DataPlanes.artifacts(installation, client, ackServed.buckets(), jobFailures, context);
    var deployment = context.getSecondaryResource(Deployment.class);
    var ledgerName = ObjectNames.migrationLedger(installation);
    var ledger = MigrationLedger.read(context.getSecondaryResourcesAsStream(ConfigMap.class)
        .filter(c -> ledgerName.equals(c.getMetadata().getName())).findFirst());
    var jobs = context.getSecondaryResourcesAsStream(Job.class).filter(MigrationJobNames::isMigration).toList();
    var whyFailed = new HashMap<String, String>();
    jobs.forEach(job -> jobFailures.read(client, job).ifPresent(why -> whyFailed.put(job.getMetadata().getName(),
        why)));
    var owned = new MigrationPlan.Owned(jobs, ledger, deployment.map(ReconcileFacts::deployedVersion), whyFailed);
    var canRun = canRun(database, artifacts, problems, aws);
    var plan = AckRds.gateOnSnapshot(installation, settings, MigrationPlan.of(installation, owned, canRun),
        context.getSecondaryResourcesAsStream(DBSnapshot.class).filter(s -> s.getMetadata().getName()
            .equals(ObjectNames.migrationSnapshot(installation, installation.getSpec().getVersion()))).findFirst());
    var facts = new ReconcileFacts(settings, database, artifacts, ackServed, List.copyOf(problems), plan, ledger,
        false, false, aws);
    // A first Deployment is a rollout too: its pods start, under the fleet's cap like any other rollout.
    var templateChanges = deployment.isEmpty()
        ? facts.migration().servingVersion() != null && facts.workloadCanRun()
        : !DeploymentDependentResource.templateHash(installation, facts)
            .equals(DeploymentDependentResource.appliedTemplateHash(deployment.get()));
    return templateChanges ? facts.withTemplateChanges() : facts;
  }

  private static String deployedVersion(Deployment deployment) {
    var labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    return labels == null ? null : labels.get(InstallationLabels.VERSION);
  }

  /** The user's Secret of service keys must exist and hold both keys; their format the service itself checks. */
  private static Optional<Problem> serviceKeysProblem(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    return ServiceKeysSecretDependentResource.referenced(installation).flatMap(name -> Stream.of(
            RuntimeSettings.ENCRYPTION_KEYS, RuntimeSettings.EVIDENCE_SIGNING_KEY)
        .map(key -> SecretReferences.read(context, new SecretKeyRef(name, key), "secrets.serviceKeysRef",
            "ServiceKeys"))
        .filter(lookup -> !lookup.found()).findFirst()
        .map(lookup -> new Problem(lookup.reason(), lookup.message())));
  }

  private static Optional<Problem> jwtProblem(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    var referenced = Optional.ofNullable(installation.getSpec().getSecrets()).map(SecretsSpec::getJwtSecretRef);
    if (referenced.isEmpty()) {
      return Optional.empty();
    }
    var ref = ApiPod.jwtSecret(installation);
    var lookup = SecretReferences.read(context, ref, "secrets.jwtSecretRef", "Jwt");
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
