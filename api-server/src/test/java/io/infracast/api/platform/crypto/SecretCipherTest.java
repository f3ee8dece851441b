package io.infracast.api.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.infracast.api.platform.crypto.SecretCipher.Sealed;
import io.infracast.api.platform.crypto.SecretCipher.UnreadableSecretException;
import io.infracast.contract.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
  private static final byte[] SECRET = "aws-secret-access-key".getBytes(StandardCharsets.UTF_8);
  private final String oldKey = SecretCipher.generateEntry("k1");
  private final String newKey = SecretCipher.generateEntry("k2");

  @Test
  void sealedValueOpensOnlyUnderItsOwnContextAndIsNotThePlaintext() {
    SecretCipher cipher = SecretCipher.parse(oldKey);
    Sealed sealed = cipher.seal(SECRET, "tenant-a/credentials/1");

    assertThat(sealed.keyId()).isEqualTo("k1");
    assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("aws-secret");
    assertThat(cipher.open(sealed, "tenant-a/credentials/1")).isEqualTo(SECRET);
    assertThatThrownBy(() -> cipher.open(sealed, "tenant-b/credentials/1"))
        .isInstanceOf(UnreadableSecretException.class).hasMessageContaining("stored for another record");
  }

  @Test
  void twoSealsOfOneValueDiffer() {
    SecretCipher cipher = SecretCipher.parse(oldKey);
    assertThat(cipher.seal(SECRET, "c").ciphertext()).isNotEqualTo(cipher.seal(SECRET, "c").ciphertext());
  }

  @Test
  void aFlippedBitDoesNotOpen() {
    SecretCipher cipher = SecretCipher.parse(oldKey);
    Sealed sealed = cipher.seal(SECRET, "c");
    sealed.ciphertext()[3] ^= 1;
    assertThatThrownBy(() -> cipher.open(sealed, "c")).hasMessageContaining("altered");
  }

  @Test
  void rotationSealsWithTheFirstKeyAndStillOpensWithTheOld() {
    Sealed before = SecretCipher.parse(oldKey).seal(SECRET, "c");
    SecretCipher rotated = SecretCipher.parse(newKey + "," + oldKey);

    assertThat(rotated.open(before, "c")).isEqualTo(SECRET);
    assertThat(rotated.needsRotation(before)).isTrue();
    Sealed after = rotated.seal(SECRET, "c");
    assertThat(after.keyId()).isEqualTo("k2");
    assertThat(rotated.needsRotation(after)).isFalse();

    assertThatThrownBy(() -> SecretCipher.parse(newKey).open(before, "c"))
        .isInstanceOf(UnreadableSecretException.class)
        .hasMessage("sealed with encryption key 'k1', which ENCRYPTION_KEYS no longer holds; add it back after"
            + " the active key");
  }

  @Test
  void malformedSettingsAreNamedWithoutShowingKeyMaterial() {
    String key = oldKey.substring(3);
    assertThatThrownBy(() -> SecretCipher.parse(key)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("entry 1 must be id:base64-key").hasMessageNotContaining(key);
    assertThatThrownBy(() -> SecretCipher.parse("k1:c2hvcnQ=")).hasMessageContaining("'k1' is 5 bytes");
    assertThatThrownBy(() -> SecretCipher.parse("k1:%%%")).hasMessageContaining("'k1' is not base64");
    assertThatThrownBy(() -> SecretCipher.parse(oldKey + "," + oldKey)).hasMessageContaining("names key 'k1' twice");
    assertThatThrownBy(() -> SecretCipher.parse(" , ")).hasMessageContaining("holds no key");
    assertThat(SecretCipher.parse(newKey + "," + oldKey).toString()).doesNotContain(key);
  }

  @Test
  void localKeyIsKeptOwnerOnlyAndReusedByTheNextRun(@TempDir Path dataDir) throws Exception {
    Sealed sealed = LocalKeys.encryption(dataDir).seal(SECRET, "c");
    Path file = dataDir.resolve(LocalKeys.ENCRYPTION_FILE);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(LocalKeys.encryption(dataDir).open(sealed, "c")).isEqualTo(SECRET);
    assertThat(LocalKeys.evidenceSigning(dataDir)).as("the signing key too is the same in the next run")
        .isEqualTo(LocalKeys.evidenceSigning(dataDir));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(LocalKeys.SIGNING_FILE))))
        .isEqualTo("rw-------");
  }
}
