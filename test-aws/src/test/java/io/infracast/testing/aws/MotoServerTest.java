package io.infracast.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;

/** The throwaway moto server answers S3 through the AWS SDK, per account, as AWS does. */
class MotoServerTest {

  @Test
  void bucketsBelongToAnAccountAndTheirNamesAreGlobal() {
    try (var moto = MotoServer.start(); var s3 = moto.s3(); var other = moto.s3("210987654321")) {
      s3.createBucket(b -> b.bucket("moto-check"));

      assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).containsExactly("moto-check");
      assertThat(other.listBuckets().buckets()).as("another account's buckets").isEmpty();
      assertThatThrownBy(() -> other.createBucket(b -> b.bucket("moto-check")))
          .isInstanceOf(BucketAlreadyExistsException.class);
    }
  }
}
