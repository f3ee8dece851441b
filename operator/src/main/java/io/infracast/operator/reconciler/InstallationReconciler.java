package io.infracast.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infracast.operator.OperatorSettings;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.WatchedSecrets;
import io.infracast.operator.data.ack.AckApis;
import io.infracast.operator.data.aws.AwsClients;
import io.infracast.operator.data.aws.AwsReads;
import io.infracast.operator.migration.JobFailures;
import io.infracast.operator.dependent.AckArtifactsCondition;
import io.infracast.operator.dependent.AwsSecretDependentResource;
import io.infracast.operator.dependent.BucketDependentResource;
import io.infracast.operator.dependent.BucketKindServedCondition;
import io.infracast.operator.dependent.AckDatabaseCondition;
import io.infracast.operator.dependent.ConfigMapDependentResource;
import io.infracast.operator.dependent.DatabaseInstanceCondition;
import io.infracast.operator.dependent.DatabaseInstanceDependentResource;
import io.infracast.operator.dependent.DatabaseKindsServedCondition;
import io.infracast.operator.dependent.DatabaseMasterSecretDependentResource;
import io.infracast.operator.dependent.DatabaseSubnetGroupCondition;
import io.infracast.operator.dependent.DatabaseSubnetGroupDependentResource;
import io.infracast.operator.dependent.DatabaseUrlCondition;
import io.infracast.operator.dependent.DatabaseUrlSecretDependentResource;
import io.infracast.operator.dependent.DeploymentDependentResource;
import io.infracast.operator.dependent.GeneratedJwtSecretCondition;
import io.infracast.operator.dependent.HorizontalPodAutoscalerDependentResource;
import io.infracast.operator.dependent.IngressDependentResource;
import io.infracast.operator.dependent.IngressRequestedCondition;
import io.infracast.operator.dependent.InstallationLabels;
import io.infracast.operator.dependent.JwtSecretDependentResource;
import io.infracast.operator.dependent.MigrationJobCondition;
import io.infracast.operator.dependent.MigrationJobDependentResource;
import io.infracast.operator.dependent.MigrationLedgerDependentResource;
import io.infracast.operator.dependent.MigrationSnapshotCondition;
import io.infracast.operator.dependent.MigrationSnapshotDependentResource;
import io.infracast.operator.dependent.MultipleReplicasCondition;
import io.infracast.operator.dependent.NetworkPolicyDependentResource;
import io.infracast.operator.dependent.PodDisruptionBudgetDependentResource;
import io.infracast.operator.dependent.ServiceAccountDependentResource;
import io.infracast.operator.dependent.ServiceDependentResource;
import io.infracast.operator.dependent.ServiceKeysSecretDependentResource;
import io.infracast.operator.dependent.TerraformCondition;
import io.infracast.operator.dependent.TofuApplyJobDependentResource;
import io.infracast.operator.dependent.TofuRoleBindingDependentResource;
import io.infracast.operator.dependent.TofuRoleDependentResource;
import io.infracast.operator.dependent.TofuServiceAccountDependentResource;
import io.infracast.operator.dependent.WorkloadCanRunCondition;
import io.infracast.operator.migration.MigrationPlan;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an InfracastInstallation into its objects. The workflow below does the writing, one dependent class per
 * object; this class computes the facts they share, gates the workflow (a refused downgrade touches nothing) and
 * turns what happened into status. Read the workflow top to bottom for the flow; {@link #cleanup} is the finalizer
 * (see {@link InstallationDeletion}).
 */
@ControllerConfiguration(name = InstallationReconciler.NAME, fieldManager = InstallationLabels.OPERATOR_NAME)
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "service-account", type = ServiceAccountDependentResource.class),
    @Dependent(name = "generated-jwt-secret", type = JwtSecretDependentResource.class,
        reconcilePrecondition = GeneratedJwtSecretCondition.class),
    @Dependent(name = "generated-service-keys", type = ServiceKeysSecretDependentResource.class,
        reconcilePrecondition = ServiceKeysSecretDependentResource.Generated.class),
    @Dependent(name = "database-master-secret", type = DatabaseMasterSecretDependentResource.class,
        useEventSourceWithName = "generated-jwt-secret", reconcilePrecondition = AckDatabaseCondition.class),
    @Dependent(name = "aws-jwt-secret", type = AwsSecretDependentResource.Jwt.class,
        useEventSourceWithName = "generated-jwt-secret",
        reconcilePrecondition = AwsSecretDependentResource.JwtRead.class),
    @Dependent(name = "aws-database-url", type = AwsSecretDependentResource.DatabaseUrl.class,
        useEventSourceWithName = "generated-jwt-secret",
        reconcilePrecondition = AwsSecretDependentResource.DatabaseUrlRead.class),
    @Dependent(name = "database-subnet-group", type = DatabaseSubnetGroupDependentResource.class,
        activationCondition = DatabaseKindsServedCondition.class,
        reconcilePrecondition = DatabaseSubnetGroupCondition.class),
    @Dependent(name = "database-instance", type = DatabaseInstanceDependentResource.class,
        dependsOn = "database-master-secret", activationCondition = DatabaseKindsServedCondition.class,
        reconcilePrecondition = DatabaseInstanceCondition.class),
    @Dependent(name = "tofu-service-account", type = TofuServiceAccountDependentResource.class,
        useEventSourceWithName = "service-account", reconcilePrecondition = TerraformCondition.class),
    @Dependent(name = "tofu-role", type = TofuRoleDependentResource.class,
        reconcilePrecondition = TerraformCondition.class),
    @Dependent(name = "tofu-role-binding", type = TofuRoleBindingDependentResource.class,
        dependsOn = {"tofu-service-account", "tofu-role"}, reconcilePrecondition = TerraformCondition.class),
    @Dependent(name = "tofu-apply", type = TofuApplyJobDependentResource.class,
        dependsOn = "tofu-role-binding", useEventSourceWithName = "migration-job",
        reconcilePrecondition = TerraformCondition.class),
    @Dependent(name = "database-url", type = DatabaseUrlSecretDependentResource.class,
        useEventSourceWithName = "generated-jwt-secret", reconcilePrecondition = DatabaseUrlCondition.class),
    @Dependent(name = "migration-snapshot", type = MigrationSnapshotDependentResource.class,
        activationCondition = DatabaseKindsServedCondition.class,
        reconcilePrecondition = MigrationSnapshotCondition.class),
    @Dependent(name = "bucket", type = BucketDependentResource.class,
        activationCondition = BucketKindServedCondition.class, reconcilePrecondition = AckArtifactsCondition.class),
    @Dependent(name = "config", type = ConfigMapDependentResource.class),
    @Dependent(name = "migration-ledger", type = MigrationLedgerDependentResource.class,
        useEventSourceWithName = "config"),
    @Dependent(name = "migration-job", type = MigrationJobDependentResource.class,
        dependsOn = {"service-account", "config"}, reconcilePrecondition = MigrationJobCondition.class),
    @Dependent(name = "deployment", type = DeploymentDependentResource.class,
        dependsOn = {"service-account", "config"}, reconcilePrecondition = WorkloadCanRunCondition.class),
    @Dependent(name = "autoscaler", type = HorizontalPodAutoscalerDependentResource.class, dependsOn = "deployment"),
    @Dependent(name = "disruption-budget", type = PodDisruptionBudgetDependentResource.class,
        reconcilePrecondition = MultipleReplicasCondition.class),
    @Dependent(name = "service", type = ServiceDependentResource.class),
    @Dependent(name = "network-policy", type = NetworkPolicyDependentResource.class),
    @Dependent(name = "ingress", type = IngressDependentResource.class, dependsOn = "service",
        reconcilePrecondition = IngressRequestedCondition.class),
})
public class InstallationReconciler implements Reconciler<InfracastInstallation>, Cleaner<InfracastInstallation> {

  public static final String NAME = "infracastinstallation";
  private static final Logger log = LoggerFactory.getLogger(InstallationReconciler.class);

  private final StatusAggregator statusAggregator;
  private final EventRecorder events;
  private final FleetSlots slots;
  /** Wakes an installation waiting for a rollout slot as soon as one frees. */
  private final SimpleInboundEventSource<InfracastInstallation> slotFreed;
  /** User Secrets that do not exist yet cannot be watched: look again this often while waiting for them. */
  private final Duration waitingRecheck;
  /** The longest wait between two reconciles; a reschedule replaces it, so none may be longer. */
  private final Duration resync;
  private final AckApis ackApis;
  private final AwsReads awsReads;
  private final JobFailures jobFailures;
  private final InstallationDeletion deletion;
  /** The installations this replica caches, once its event sources are prepared (it leads); else none. */
  private volatile ResourceCache<InfracastInstallation> primaries;

  private InstallationReconciler(StatusAggregator statusAggregator, EventRecorder events, int maxConcurrentRollouts,
      int maxConcurrentFirstInstalls, Duration waitingRecheck, Duration resync, AckApis ackApis, AwsReads awsReads,
      JobFailures jobFailures,
      InstallationDeletion deletion) {
    this.statusAggregator = statusAggregator;
    this.events = events;
    this.slotFreed = new SimpleInboundEventSource<>("rollout-slot-freed");
    this.slots = new FleetSlots(maxConcurrentRollouts, maxConcurrentFirstInstalls, key -> {
      var slash = key.indexOf('/');
      slotFreed.propagateEvent(new ResourceID(key.substring(slash + 1), key.substring(0, slash)));
    });
    this.waitingRecheck = waitingRecheck;
    this.resync = resync;
    this.ackApis = ackApis;
    this.awsReads = awsReads;
    this.jobFailures = jobFailures;
    this.deletion = deletion;
  }

  /** @param aws the operator's AWS clients: a failed read is asked again after the waiting recheck, backing off */
  public static InstallationReconciler create(KubernetesClient client, OperatorSettings settings, AwsClients aws) {
    var clock = Clock.systemUTC();
    var events = new EventRecorder(client, clock);
    var jobFailures = new JobFailures();
    return new InstallationReconciler(new StatusAggregator(clock), events,
        settings.maxConcurrentRollouts(), settings.maxConcurrentFirstInstalls(), settings.waitingRecheck(),
        settings.resyncInterval(), new AckApis(settings.waitingRecheck(), clock),
        new AwsReads(aws, settings.aws().reread(), settings.waitingRecheck(), clock), jobFailures,
        new InstallationDeletion(events, settings.deletionTimeout(), settings.waitingRecheck(), jobFailures, clock));
  }

  @Override
  public List<EventSource<?, InfracastInstallation>> prepareEventSources(
      EventSourceContext<InfracastInstallation> context) {
    primaries = context.getPrimaryCache();
    return List.of(slotFreed, WatchedSecrets.eventSource(context));
  }

  /** Every installation in this replica's cache, for metrics; none before its informers start. */
  public Stream<InfracastInstallation> cachedInstallations() {
    var cache = primaries;
    return cache == null ? Stream.empty() : cache.list();
  }

  @Override
  public UpdateControl<InfracastInstallation> reconcile(InfracastInstallation installation,
      Context<InfracastInstallation> context) {
    WatchedSecrets.watch(installation, context);
    var rollout = DeploymentRollout.of(context.getSecondaryResource(Deployment.class));
    var facts = admit(installation, ReconcileFacts.gather(installation, context, ackApis, awsReads, jobFailures), rollout, context);
    facts.share(context);
    if (facts.migration().step() != MigrationPlan.Step.DOWNGRADE_REFUSED) {
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      rollout = DeploymentRollout.of(context.getSecondaryResource(Deployment.class));
    }
    writeStatus(installation, statusAggregator.aggregate(installation, facts, rollout), context);
    events.statusWritten(installation);
    // Slot waiters are not rechecked: a slot frees when its holder's rollout ends or the holder is deleted, and
    // either wakes the next waiter (a recheck ran the whole workflow for nothing, for each of up to 1,000 waiters).
    // A user's Secret that does not exist yet cannot be watched: looked for again. Secrets from AWS are read
    // again when due, so that a rotation reaches the pods.
    var waiting = !facts.workloadCanRun();
    var recheck = Stream.concat(Stream.of(waitingRecheck).filter(r -> waiting), facts.aws().recheck().stream())
        .min(Duration::compareTo);
    return recheck.map(r -> UpdateControl.<InfracastInstallation>noUpdate()
            .rescheduleAfter(r.compareTo(resync) < 0 ? r : resync))
        .orElseGet(UpdateControl::noUpdate);
  }

  /** The finalizer: what happens to the tenant's data in AWS follows database.deletionPolicy. */
  @Override
  public DeleteControl cleanup(InfracastInstallation installation, Context<InfracastInstallation> context) {
    // A deleted installation rolls out nothing more: its slot goes to the next waiter now, even while its Job or
    // Deployment, about to be collected with it, still shows in flight.
    slots.release(MigrationPlan.key(installation), inCluster(context), live(context));
    return deletion.cleanup(installation, context.getClient());
  }

  /**
   * Nothing here reads the cluster again or takes a slot: the failure is written as it is, once (an identical
   * failure on retry writes nothing). A status write that fails too is left to the next retry, and an Event says
   * why the status is stale meanwhile.
   */
  @Override
  public ErrorStatusUpdateControl<InfracastInstallation> updateErrorStatus(InfracastInstallation installation,
      Context<InfracastInstallation> context, Exception error) {
    var message = ReconcileErrors.describe(error);
    log.warn("reconcile of {}/{} failed: {}", installation.getMetadata().getNamespace(),
        installation.getMetadata().getName(), message);
    try {
      writeStatus(installation, statusAggregator.failed(installation, "ReconcileError", message), context);
    } catch (KubernetesClientException e) {
      var why = ReconcileErrors.describe(e);
      log.warn("could not write the failure into the status of {}/{}: {}", installation.getMetadata().getNamespace(),
          installation.getMetadata().getName(), why);
      events.statusNotWritten(installation, why.equals(message)
          ? "the status could not be written, so it may be stale: " + why
          : "the last reconcile failed: " + message + "; the status could not be written to say so: " + why);
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * Decides the installation's rollout slot. It needs one while its migration Job is due or runs, while its pods
   * roll to a new template (a new version, new settings or a new operator release), and in between; the count of
   * who else holds one comes from the cluster, so it is right after a restart too.
   */
  private ReconcileFacts admit(InfracastInstallation installation, ReconcileFacts facts, DeploymentRollout rollout,
      Context<InfracastInstallation> context) {
    var key = MigrationPlan.key(installation);
    var live = live(context);
    var inCluster = inCluster(context);
    var plan = facts.migration();
    var needsSlot = plan.runsJob() || facts.templateChanges()
        || rollout.inProgress();
    if (!needsSlot && rollout.exists() && !rollout.observed()) {
      return facts; // the Deployment controller has not reported on the last change yet: keep the slot as it is
    }
    if (!needsSlot) {
      slots.release(key, inCluster, live);
      return facts;
    }
    var serving = context.getSecondaryResource(Deployment.class).filter(FleetRollouts::serves).isPresent();
    if (slots.tryAcquire(key, serving, inCluster, live)) {
      return facts;
    }
    return plan.step() == MigrationPlan.Step.START_JOB
        ? facts.withMigration(plan.waitingForSlot(slots.limit(serving), !serving))
        : facts.withRolloutHeld();
  }

  /** What the cluster shows in flight, counted at most once per reconcile and only when the limiter asks. */
  private static Supplier<FleetRollouts.InFlight> inCluster(Context<InfracastInstallation> context) {
    var counted = new AtomicReference<FleetRollouts.InFlight>();
    return () -> counted.updateAndGet(known -> known != null ? known
        : FleetRollouts.inFlight(cached(context, Job.class), cached(context, Deployment.class)));
  }

  /** Keys of every installation that exists and is not being deleted: only those can hold a rollout slot. */
  private static Set<String> live(Context<InfracastInstallation> context) {
    return context.getPrimaryCache().list().filter(i -> i.getMetadata().getDeletionTimestamp() == null)
        .map(MigrationPlan::key).collect(Collectors.toSet());
  }

  /** Every cached object of an owned kind, of every installation: the fleet as this replica sees it. */
  private static <R extends HasMetadata> Stream<R> cached(Context<InfracastInstallation> context, Class<R> type) {
    @SuppressWarnings("unchecked")
    var cache = (ResourceCache<R>) context.eventSourceRetriever().getEventSourceFor(type);
    return cache.list();
  }

  /**
   * Writes status only when it differs from what is stored (an idle resync writes nothing), then records one
   * Event per condition that flipped: after the write succeeded, so a failed write never duplicates Events.
   */
  private void writeStatus(InfracastInstallation installation, StatusAggregator.Result result,
      Context<InfracastInstallation> context) {
    if (!result.changed(installation.getStatus())) {
      return;
    }
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(installation, statusOnly(installation, result),
        context);
    result.transitions().forEach(t -> events.record(installation, t));
  }

  /** A fresh object with only identity and status, as server-side apply of a status wants it. */
  private static InfracastInstallation statusOnly(InfracastInstallation installation,
      StatusAggregator.Result result) {
    var patch = new InfracastInstallation();
    patch.setMetadata(new ObjectMetaBuilder().withName(installation.getMetadata().getName())
        .withNamespace(installation.getMetadata().getNamespace()).build());
    patch.setStatus(result.status());
    return patch;
  }
}
