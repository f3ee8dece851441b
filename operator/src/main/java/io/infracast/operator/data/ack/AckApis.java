package io.infracast.operator.data.ack;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of ACK's kinds the cluster serves: each exists only once its ACK controller (its CRD) is installed. An
 * informer on a kind the API server does not serve fails and retries for ever, logging each time, so the
 * informers of ACK's kinds are registered only while this says yes. The answer comes from API discovery, which
 * every identity may read (no RBAC on CRDs), and is asked again at most once per {@code recheck}, and only while
 * an installation uses ACK for that half: a cluster without ACK installations never asks.
 */
public final class AckApis {

  /** The kinds the operator writes for an ACK database: all come with ACK's RDS controller. */
  public static final List<Class<? extends CustomResource<?, ?>>> DATABASE_KINDS =
      List.of(DBSubnetGroup.class, DBInstance.class, DBSnapshot.class);
  public static final List<Class<? extends CustomResource<?, ?>>> BUCKET_KINDS = List.of(Bucket.class);

  /**
   * What the cluster serves, as far as this reconcile knows.
   *
   * @param buckets ACK's S3 Bucket kind
   * @param databases every kind of {@link #DATABASE_KINDS}
   */
  public record Served(boolean buckets, boolean databases) {}

  private record Answer(boolean served, Instant at) {}

  private final Duration recheck;
  private final Clock clock;
  private final Map<Class<?>, Answer> answers = new HashMap<>();

  public AckApis(Duration recheck, Clock clock) {
    this.recheck = recheck;
    this.clock = clock;
  }

  /**
   * Asks the API server about the halves the installation provisions through ACK (when the last answer is older
   * than the recheck period); the other halves go by the last answer, since installations share the informers and
   * must agree on them.
   */
  public synchronized Served served(InfracastInstallation installation, KubernetesClient client) {
    var spec = installation.getSpec();
    return new Served(
        served(BUCKET_KINDS, spec.getArtifacts().getProvisioner() == Provisioner.ACK ? client : null),
        served(DATABASE_KINDS, spec.getDatabase().getProvisioner() == Provisioner.ACK ? client : null));
  }

  /** The CRD names of {@code kinds}, for a message saying what to install. */
  public static String crdNames(List<Class<? extends CustomResource<?, ?>>> kinds) {
    return String.join(", ", kinds.stream().map(CustomResource::getCRDName).toList());
  }

  private boolean served(List<Class<? extends CustomResource<?, ?>>> kinds, KubernetesClient askWith) {
    var now = clock.instant();
    var all = true;
    for (var kind : kinds) {
      var last = answers.get(kind);
      if (askWith != null && (last == null || !now.isBefore(last.at().plus(recheck)))) {
        last = new Answer(askWith.supports(HasMetadata.getApiVersion(kind), HasMetadata.getKind(kind)), now);
        answers.put(kind, last);
      }
      all &= last != null && last.served();
    }
    return all;
  }
}
