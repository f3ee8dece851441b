package io.infracast.operator.data.aws;

import io.infracast.operator.OperatorSettings;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** One AWS SDK client per service and region, made on first use and shared by every installation. */
public final class AwsClients implements AutoCloseable {

  private final OperatorSettings.Aws settings;
  private final Map<Region, SecretsManagerClient> secretsManagers = new ConcurrentHashMap<>();
  private final Map<Region, S3Client> s3 = new ConcurrentHashMap<>();
  private volatile CredentialsCheck lastCredentialsCheck;

  public AwsClients(OperatorSettings.Aws settings) {
    this.settings = settings;
  }

  SecretsManagerClient secretsManager(String region) {
    return secretsManagers.computeIfAbsent(Region.of(region),
        r -> configure(SecretsManagerClient.builder(), r).build());
  }

  S3Client s3(String region) {
    return s3.computeIfAbsent(Region.of(region), r -> configure(S3Client.builder()
        // An endpoint of one's own (an emulator) has no bucket subdomains.
        .forcePathStyle(settings.endpoint().isPresent()), r).build());
  }

  /**
   * Why the operator has no AWS credentials (the SDK's own words), or empty when it has some. Asked before each
   * call rather than left to the call, so that "no credentials" is told apart from an answer of AWS.
   */
  Optional<String> missingCredentials() {
    var last = lastCredentialsCheck;
    var now = Instant.now();
    if (last != null && now.isBefore(last.at().plus(settings.reread()))) {
      return last.missing();
    }
    Optional<String> missing;
    try {
      settings.credentials().resolveCredentials();
      missing = Optional.empty();
    } catch (SdkClientException e) {
      missing = Optional.of(e.getMessage());
    }
    lastCredentialsCheck = new CredentialsCheck(now, missing);
    return missing;
  }

  /**
   * The last answer, kept for a re-read interval: without credentials the SDK walks its whole chain each time
   * (instance metadata included, which can take seconds off the cloud), and every installation would pay it.
   */
  private record CredentialsCheck(Instant at, Optional<String> missing) {}

  private <B extends AwsSyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B configure(B builder, Region region) {
    settings.endpoint().ifPresent(builder::endpointOverride);
    return builder.region(region).credentialsProvider(settings.credentials())
        .httpClient(UrlConnectionHttpClient.create());
  }

  @Override
  public void close() {
    secretsManagers.values().forEach(SecretsManagerClient::close);
    s3.values().forEach(S3Client::close);
  }
}
