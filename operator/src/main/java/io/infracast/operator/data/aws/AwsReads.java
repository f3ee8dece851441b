package io.infracast.operator.data.aws;

import io.infracast.operator.data.SecretReferences.Lookup;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * What the operator asks AWS: secret values from Secrets Manager, and how an external bucket is protected. Each
 * answer is kept until it is due again (see {@link Rechecked}), so reconciles never call AWS more often than the
 * re-read interval, or the backoff after a failure.
 */
public final class AwsReads {

  /**
   * How an external bucket is protected, as the condition ArtifactStoreChecked says it.
   *
   * @param passed default encryption is on and all four public-access blocks are on
   * @param answered AWS answered (false: the check failed and is retried with backoff)
   */
  public record BucketCheck(boolean passed, boolean answered, String reason, String message) {}

  private final AwsClients clients;
  private final Rechecked<Lookup> secrets;
  private final Rechecked<BucketCheck> buckets;

  /**
   * @param reread how often a secret is read again and a bucket checked again
   * @param firstBackoff the wait after a first failure, doubling up to {@code reread}
   */
  public AwsReads(AwsClients clients, Duration reread, Duration firstBackoff, Clock clock) {
    this.clients = clients;
    this.secrets = new Rechecked<>(reread, firstBackoff, read -> !read.found(), clock);
    this.buckets = new Rechecked<>(reread, firstBackoff, check -> !check.answered(), clock);
  }

  /**
   * The current value (SecretString) of the secret {@code arn}, read again when due; or why it could not be
   * read, with a reason without the field's prefix (SecretArnNotFound, SecretArnAccessDenied,
   * AwsCredentialsMissing, SecretArnUnreadable) and what AWS answered in its own words.
   */
  public Lookup secret(String arn) {
    return secrets.get(arn, () -> readSecret(arn));
  }

  /** How long until {@code arn} is read again. */
  public Duration untilSecretDue(String arn) {
    return secrets.untilDue(arn);
  }

  /** How {@code bucket} is protected, checked again when due. */
  public BucketCheck bucket(String bucket, String region) {
    return buckets.get(region + "/" + bucket, () -> checkBucket(bucket, region));
  }

  public Duration untilBucketDue(String bucket, String region) {
    return buckets.untilDue(region + "/" + bucket);
  }

  private Lookup readSecret(String arn) {
    var missing = clients.missingCredentials();
    if (missing.isPresent()) {
      return new Lookup(null, "AwsCredentialsMissing", "the operator has no AWS credentials to read it: "
          + missing.get());
    }
    try {
      var answer = clients.secretsManager(arn.split(":")[3]).getSecretValue(r -> r.secretId(arn));
      if (answer.secretString() == null) {
        return new Lookup(null, "SecretArnUnreadable", "it holds binary data; a SecretString is needed");
      }
      return new Lookup(answer.secretString(), null, null);
    } catch (AwsServiceException e) {
      var reason = switch (Objects.requireNonNullElse(e.awsErrorDetails().errorCode(), "")) {
        case "ResourceNotFoundException" -> "SecretArnNotFound";
        case "AccessDeniedException", "AccessDenied" -> "SecretArnAccessDenied";
        default -> e.statusCode() == 403 ? "SecretArnAccessDenied" : "SecretArnUnreadable";
      };
      return new Lookup(null, reason, "AWS Secrets Manager answered " + quote(e));
    } catch (SdkClientException e) {
      return new Lookup(null, "SecretArnUnreadable", "AWS Secrets Manager could not be asked: "
          + e.getMessage());
    }
  }

  private BucketCheck checkBucket(String bucket, String region) {
    var missing = clients.missingCredentials();
    if (missing.isPresent()) {
      // Not an error: the bucket works; the operator just cannot see how it is protected.
      return new BucketCheck(false, true, "CheckSkippedNoCredentials", "bucket " + bucket + " was not checked:"
          + " the operator has no AWS credentials (" + missing.get() + "); give its service account an IAM role"
          + " allowed s3:GetEncryptionConfiguration and s3:GetBucketPublicAccessBlock to check it");
    }
    var s3 = clients.s3(region);
    try {
      var findings = new ArrayList<String>();
      var reasons = new ArrayList<String>();
      var encryption = encryption(() -> s3.getBucketEncryption(r -> r.bucket(bucket))
          .serverSideEncryptionConfiguration().rules());
      if (encryption.isEmpty()) {
        reasons.add("BucketNotEncrypted");
        findings.add("it has no default encryption");
      }
      var block = publicAccessBlock(() -> s3.getPublicAccessBlock(r -> r.bucket(bucket))
          .publicAccessBlockConfiguration());
      var off = block.map(AwsReads::blocksOff).orElse(List.of("BlockPublicAcls", "IgnorePublicAcls",
          "BlockPublicPolicy", "RestrictPublicBuckets"));
      if (!off.isEmpty()) {
        reasons.add("PublicAccessNotBlocked");
        findings.add("its public-access block leaves off " + String.join(", ", off));
      }
      if (findings.isEmpty()) {
        return new BucketCheck(true, true, "EncryptedAndPrivate", "bucket " + bucket + " has default encryption ("
            + encryption.get() + ") and all four public-access blocks on");
      }
      return new BucketCheck(false, true, reasons.get(0), "bucket " + bucket + ": " + String.join("; ", findings));
    } catch (AwsServiceException e) {
      return new BucketCheck(false, false, "BucketCheckFailed", "bucket " + bucket + " could not be checked: AWS S3"
          + " answered " + quote(e));
    } catch (SdkClientException e) {
      return new BucketCheck(false, false, "BucketCheckFailed", "bucket " + bucket + " could not be checked: AWS"
          + " S3 could not be asked: " + e.getMessage());
    }
  }

  /** The default encryption algorithm, empty when the bucket has none (S3 answers with an error code then). */
  private static Optional<String> encryption(Supplier<List<ServerSideEncryptionRule>> rules) {
    try {
      return rules.get().stream().filter(r -> r.applyServerSideEncryptionByDefault() != null)
          .map(r -> r.applyServerSideEncryptionByDefault().sseAlgorithmAsString()).findFirst();
    } catch (AwsServiceException e) {
      if ("ServerSideEncryptionConfigurationNotFoundError".equals(e.awsErrorDetails().errorCode())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The bucket's public-access block, empty when it has none. */
  private static Optional<PublicAccessBlockConfiguration> publicAccessBlock(
      Supplier<PublicAccessBlockConfiguration> block) {
    try {
      return Optional.of(block.get());
    } catch (AwsServiceException e) {
      if ("NoSuchPublicAccessBlockConfiguration".equals(e.awsErrorDetails().errorCode())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static List<String> blocksOff(PublicAccessBlockConfiguration block) {
    var off = new ArrayList<String>();
    if (!Boolean.TRUE.equals(block.blockPublicAcls())) {
      off.add("BlockPublicAcls");
    }
    if (!Boolean.TRUE.equals(block.ignorePublicAcls())) {
      off.add("IgnorePublicAcls");
    }
    if (!Boolean.TRUE.equals(block.blockPublicPolicy())) {
      off.add("BlockPublicPolicy");
    }
    if (!Boolean.TRUE.equals(block.restrictPublicBuckets())) {
      off.add("RestrictPublicBuckets");
    }
    return off;
  }

  /** AWS's error code and its own message, without the SDK's request id and service suffix. */
  private static String quote(AwsServiceException e) {
    var details = e.awsErrorDetails();
    return Objects.requireNonNullElse(details.errorCode(), "HTTP " + e.statusCode()) + ": "
        + Objects.requireNonNullElse(details.errorMessage(), e.getMessage());
  }
}
