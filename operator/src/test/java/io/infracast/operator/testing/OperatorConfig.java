package io.infracast.operator.testing;

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

  /** Replicas elect a leader through a Lease in the test namespace, as in a cluster. */
  boolean leaderElection() default false;

  /** Fake Deployment and Job controllers report instant success; off where the local kubelet runs pods. */
  boolean fakeControllers() default true;
}
