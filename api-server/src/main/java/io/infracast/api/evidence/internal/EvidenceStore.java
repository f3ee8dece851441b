package io.infracast.api.evidence.internal;

import io.infracast.api.platform.config.AppConfig;
import java.util.Optional;

/**
 * Where signed artifacts are kept, by key ({@code tenants/<tenant id>/evidence/<evaluation id>/<artifact id>.json}):
 * the artifacts bucket through the AWS SDK, or a local folder when no bucket is set.
 */
public interface EvidenceStore extends AutoCloseable {
  void put(String key, byte[] content);

  /** The object's bytes; empty when there is none. */
  Optional<byte[]> get(String key);

  /** Where it stores, for the log ({@code s3://bucket}, a folder). */
  String location();

  @Override
  void close();

  static EvidenceStore of(AppConfig.ArtifactStore config) {
    return config instanceof AppConfig.S3Bucket bucket ? new S3Store(bucket)
        : new FolderStore(((AppConfig.LocalFolder) config).path());
  }
}
