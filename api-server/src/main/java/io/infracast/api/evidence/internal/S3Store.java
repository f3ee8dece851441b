package io.infracast.api.evidence.internal;

import io.infracast.api.platform.config.AppConfig;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Artifacts in the artifacts bucket, through the AWS SDK v2 with the default credentials chain (IRSA's web
 * identity in EKS, {@code AWS_ACCESS_KEY_ID} elsewhere). With {@code AWS_ENDPOINT_URL} (an S3-compatible store,
 * moto in the tests) requests are path-style: such stores rarely serve bucket subdomains.
 */
final class S3Store implements EvidenceStore {
  private final S3Client s3;
  private final String bucket;

  S3Store(AppConfig.S3Bucket config) {
    S3ClientBuilder builder = S3Client.builder().region(Region.of(config.region()))
        .httpClient(UrlConnectionHttpClient.create());
    config.endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
    this.s3 = builder.build();
    this.bucket = config.bucket();
  }

  @Override
  public void put(String key, byte[] content) {
    s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(content));
  }

  @Override
  public Optional<byte[]> get(String key) {
    try {
      return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  @Override
  public String location() {
    return "s3://" + bucket;
  }

  @Override
  public void close() {
    s3.close();
  }
}
