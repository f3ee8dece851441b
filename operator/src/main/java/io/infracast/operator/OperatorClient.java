package io.infracast.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The operator's Kubernetes client. A request the API server refuses with 429 or 5xx, or does not answer in time,
 * is retried only twice by the client (after 0.1 and 0.2 s: fabric8 7.5.2 logs a Retry-After but does not wait
 * for it), which absorbs a blip.
 * A fault that lasts is the reconcile retry's business: it backs off from 2 s to 2 min and says why in Degraded
 * meanwhile. The client's default, 10 retries up to 3.2 s apart, would hide a fault for 20 s (a hung API server
 * for 11 request timeouts, about 2 minutes) and hold a reconcile thread all that time.
 */
public final class OperatorClient {

  private static final int REQUEST_RETRIES = 2;

  private OperatorClient() {}

  /** A client builder on {@code config}, with the operator's retry policy. */
  public static KubernetesClientBuilder builder(Config config) {
    config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
    return new KubernetesClientBuilder().withConfig(config);
  }
}
