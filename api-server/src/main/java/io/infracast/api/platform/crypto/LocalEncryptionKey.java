package io.infracast.api.platform.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encryption key of a local run (embedded database, no {@code ENCRYPTION_KEYS}): kept in the data folder beside
 * the database it protects, so secrets stored in one run still open in the next. Never used with an external
 * database: there the key must come from the environment, like the database URL.
 */
public final class LocalEncryptionKey {
  private static final Logger log = LoggerFactory.getLogger(LocalEncryptionKey.class);
  static final String FILE = "encryption-keys";

  private LocalEncryptionKey() {}

  /** Reads the data folder's key file, creating it (owner-only) on first use. */
  public static SecretCipher loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, SecretCipher.generateEntry("local-1"), StandardCharsets.UTF_8);
        log.warn("{} is not set: stored secrets are sealed with a key generated in {} (local runs only)",
            SecretCipher.SETTING, file);
      } catch (FileAlreadyExistsException e) {
        // made by an earlier run: read below
      }
      return SecretCipher.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the local encryption key in " + file, e);
    }
  }
}
