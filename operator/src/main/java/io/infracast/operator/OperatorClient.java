package io.infracast.operator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;

/**
 * The operator's Kubernetes client. A request the API server refuses with 429 or 5xx, or does not answer in time,
 * is retried only twice by the client (after 0.1 and 0.2 s: fabric8 7.5.2 logs a Retry-After but does not wait
 * for it), which absorbs a blip.
 * A fault that lasts is the reconcile retry's business: it backs off from 2 s to 2 min and says why in Degraded
 * meanwhile. The client's default, 10 retries up to 3.2 s apart, would hide a fault for 20 s (a hung API server
 * for 11 request timeouts, about 2 minutes) and hold a reconcile thread all that time.
 *
 * <p>What it reads is kept small, since the informers cache every tenant's objects: short strings are interned
 * (labels, owner references, names and settings repeat the same few hundred values: about 700 copies of such
 * strings per installation, bench/fleet), and of managedFields only the operator's own entry is kept
 * ({@link OwnManagedFields}).
 */
public final class OperatorClient {

  private static final int REQUEST_RETRIES = 2;

  private OperatorClient() {}

  /** A client builder on {@code config}, with the operator's retry policy. */
  public static KubernetesClientBuilder builder(Config config) {
    config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
    var mapper = new ObjectMapper().registerModule(new SimpleModule("interned-strings")
        .addDeserializer(String.class, new InterningStringDeserializer()))
        .addMixIn(ObjectMeta.class, OwnManagedFields.ObjectMetaMixIn.class);
    return new KubernetesClientBuilder().withConfig(config)
        .withKubernetesSerialization(new KubernetesSerialization(mapper, true));
  }

  /** Jackson's own String reading, then the JVM's string table for values short enough to repeat. */
  private static final class InterningStringDeserializer extends StringDeserializer {
    private static final int LONGEST_INTERNED = 64;

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      var value = super.deserialize(parser, context);
      return value != null && value.length() <= LONGEST_INTERNED ? value.intern() : value;
    }
  }
}
