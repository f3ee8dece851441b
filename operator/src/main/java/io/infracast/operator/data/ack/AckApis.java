package io.infracast.operator.data.ack;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the cluster serves ACK's S3 Bucket kind, which exists only once ACK's s3-controller (its CRD) is
 * installed. An informer on a kind the API server does not serve fails and retries for ever, logging each time,
 * so the Bucket informer is registered only while this says yes. The answer comes from API discovery, which
 * every identity may read (no RBAC on CRDs), and is asked again at most once per {@code recheck}, and only while
 * an installation uses ACK: a cluster without ACK installations never asks.
 */
public final class AckApis {

  private final Duration recheck;
  private final Clock clock;
  private boolean bucketsServed;
  private Instant checkedAt;

  public AckApis(Duration recheck, Clock clock) {
    this.recheck = recheck;
    this.clock = clock;
  }

  /** Asks the API server when the last answer is older than the recheck period. */
  public synchronized boolean bucketsServed(KubernetesClient client) {
    var now = clock.instant();
    if (checkedAt == null || !now.isBefore(checkedAt.plus(recheck))) {
      bucketsServed = client.supports(AckBucket.API_VERSION, AckBucket.KIND);
      checkedAt = now;
    }
    return bucketsServed;
  }

  /**
   * The last answer, without asking: installations that do not use ACK still decide whether the shared Bucket
   * informer stays registered, and must agree with those that do.
   */
  public synchronized boolean bucketsServedAsLastSeen() {
    return bucketsServed;
  }
}
