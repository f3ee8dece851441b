package io.infracast.operator.data.aws;

import io.fabric8.kubernetes.api.model.Secret;
import io.infracast.operator.api.v1alpha1.InfracastInstallation;
import io.infracast.operator.api.v1alpha1.Provisioner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile learnt from AWS itself: the secrets the spec takes from Secrets Manager, and how an external
 * bucket is protected.
 *
 * @param secrets the values of the spec's Secrets Manager ARNs
 * @param bucketCheck how the external bucket is protected; empty when the bucket is not external
 * @param recheck how long until the next of these is due to be asked again; empty when none is asked
 */
public record AwsFacts(SecretsFromAws secrets, Optional<AwsReads.BucketCheck> bucketCheck,
    Optional<Duration> recheck) {

  private static final Duration SOONEST = Duration.ofSeconds(1);
  public static final AwsFacts NONE = new AwsFacts(SecretsFromAws.NONE, Optional.empty(), Optional.empty());

  /** @param cached the Secrets the informers hold for the installation */
  public static AwsFacts gather(InfracastInstallation installation, AwsReads reads, List<Secret> cached) {
    var secrets = SecretsFromAws.gather(installation, reads, cached);
    var artifacts = installation.getSpec().getArtifacts();
    if (artifacts.getProvisioner() != Provisioner.EXTERNAL) {
      return new AwsFacts(secrets, Optional.empty(), secrets.nextRead().map(AwsFacts::notSooner));
    }
    var check = reads.bucket(artifacts.getBucketName(), artifacts.getRegion());
    var bucketDue = reads.untilBucketDue(artifacts.getBucketName(), artifacts.getRegion());
    var recheck = secrets.nextRead().filter(d -> d.compareTo(bucketDue) < 0).orElse(bucketDue);
    return new AwsFacts(secrets, Optional.of(check), Optional.of(notSooner(recheck)));
  }

  /** A read due right now is taken by the next reconcile: never reschedule sooner than a second. */
  private static Duration notSooner(Duration wait) {
    return wait.compareTo(SOONEST) < 0 ? SOONEST : wait;
  }
}
