package io.infracast.operator.testing;

import io.infracast.operator.OperatorSettings;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Operator settings of an {@link OperatorTestBase} class that differ from the defaults. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OperatorConfig {

  /** The fleet-wide limit on installations migrating or rolling out at once. */
  int maxConcurrentRollouts() default 5;

  /** The fleet-wide limit on first installs (installations serving nobody yet) migrating or rolling out at once. */
  int maxConcurrentFirstInstalls() default OperatorSettings.DEFAULT_FIRST_INSTALLS;

  /**
   * Replicas elect a leader through a Lease in the test namespace, as in a cluster, with short leases ({@link
   * OperatorTestBase#LEASE_DURATION}) so that a handover takes seconds.
   */
  boolean leaderElection() default false;

  /** Longest time between two reconciles of an unchanged installation. */
  int resyncSeconds() default 2;

  /** Recheck of installations waiting for a Secret that does not exist yet (or a slot of a deleted one). */
  int waitingRecheckSeconds() default 1;

  /** Fake Deployment and Job controllers report instant success; off where the local kubelet runs pods. */
  boolean fakeControllers() default true;

  /** The operator's client goes through {@link OperatorTestBase#faults}, which can fault chosen requests. */
  boolean apiFaults() default false;

  /** How long a deleted installation waits for AWS to delete its database before the operator lets it go. */
  int deletionTimeoutSeconds() default 30;

  /**
   * A moto server ({@link OperatorTestBase#moto}) is started before the operator, which reaches AWS there with
   * credentials; otherwise the operator has no AWS credentials, as in a cluster without IRSA.
   */
  boolean moto() default false;

  /** How often secrets are read again from Secrets Manager and external buckets checked again. */
  int awsRereadSeconds() default 300;

  /** The operator's client's request timeout; 0 keeps the client's default (10 s). */
  int requestTimeoutSeconds() default 0;
}
