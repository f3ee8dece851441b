package io.infracast.operator.dependent;

import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.data.ack.Bucket;
import io.infracast.operator.reconciler.ReconcileFacts;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Activation condition of the Bucket: JOSDK registers the Bucket informer only while this holds, and stops it
 * when it no longer does. An informer on a kind the cluster does not serve (ACK's S3 controller not installed)
 * would fail and log for ever. The same for every installation, since they share the one informer.
 */
public class BucketKindServedCondition implements Condition<Bucket, InfracastInstallation> {

  @Override
  public boolean isMet(DependentResource<Bucket, InfracastInstallation> dependentResource,
      InfracastInstallation installation, Context<InfracastInstallation> context) {
    return ReconcileFacts.of(context).ackServed().buckets();
  }
}
