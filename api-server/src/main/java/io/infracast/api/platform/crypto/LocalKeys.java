package io.infracast.api.platform.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of a local run (embedded database) that were not configured: kept in the data folder beside the
 * database and the evidence they protect, so what one run sealed or signed still opens and verifies in the next.
 * Never used with an external database: there the keys come from the environment, like the database URL.
 */
public final class LocalKeys {
  private static final Logger log = LoggerFactory.getLogger(LocalKeys.class);
  static final String ENCRYPTION_FILE = "encryption-keys";
  static final String SIGNING_FILE = "evidence-signing-key";

  private LocalKeys() {}

  /** {@code ENCRYPTION_KEYS} of a local run. */
  public static SecretCipher encryption(Path dataDir) {
    return SecretCipher.parse(readOrCreate(dataDir.resolve(ENCRYPTION_FILE), SecretCipher.SETTING,
        () -> SecretCipher.generateEntry("local-1")));
  }

  /** {@code EVIDENCE_SIGNING_KEY} of a local run. */
  public static PrivateKey evidenceSigning(Path dataDir) {
    return Ed25519Keys.parsePrivate(readOrCreate(dataDir.resolve(SIGNING_FILE), Ed25519Keys.SETTING,
        () -> Base64.getEncoder().encodeToString(Ed25519Keys.generate().getEncoded())));
  }

  /** The file's content, written first (owner-only) with {@code generate} when there is no such file yet. */
  private static String readOrCreate(Path file, String setting, Supplier<String> generate) {
    try {
      Files.createDirectories(file.getParent());
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, generate.get(), StandardCharsets.UTF_8);
        log.warn("{} is not set: using a key generated in {} (local runs only)", setting, file);
      } catch (FileAlreadyExistsException e) {
        // made by an earlier run: read below
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the local key in " + file, e);
    }
  }
}
