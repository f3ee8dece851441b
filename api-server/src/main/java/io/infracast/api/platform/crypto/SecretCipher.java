package io.infracast.api.platform.crypto;

import io.infracast.contract.ConfigException;
import io.infracast.contract.RuntimeSettings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets the service must read back later (discovery credentials, webhook signing secrets) with
 * AES-256-GCM under the keys of {@code ENCRYPTION_KEYS}: {@code id:base64-of-32-bytes} entries, comma-separated.
 * The first entry seals; every entry opens. Each sealed value carries the id of its key, so rotating is: put a new
 * key first, keep the old one after it until {@link #needsRotation} finds nothing sealed with it, then drop it.
 *
 * <p>The associated data binds a ciphertext to where it is stored (tenant, table, row), so a ciphertext copied
 * into another row or tenant does not open.
 */
public final class SecretCipher {
  public static final String SETTING = RuntimeSettings.ENCRYPTION_KEYS;
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String KEY_ID = "[A-Za-z0-9_.-]{1,32}";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A sealed value as stored: the key's id, the random nonce and the ciphertext with its tag. */
  public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {}

  /** A value that cannot be opened: its key is gone from the setting, or it was altered or moved. */
  public static final class UnreadableSecretException extends RuntimeException {
    UnreadableSecretException(String message) {
      super(message);
    }
  }

  private final String activeKeyId;
  private final Map<String, SecretKeySpec> keys;

  private SecretCipher(String activeKeyId, Map<String, SecretKeySpec> keys) {
    this.activeKeyId = activeKeyId;
    this.keys = keys;
  }

  /** Parses {@code ENCRYPTION_KEYS}; a malformed entry is a {@link ConfigException} naming it, never its key. */
  public static SecretCipher parse(String setting) {
    Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    String active = null;
    int position = 0;
    for (String entry : setting.split(",")) {
      position++;
      if (entry.isBlank()) {
        continue;
      }
      int colon = entry.indexOf(':');
      String id = colon < 0 ? "" : entry.substring(0, colon).trim();
      if (!id.matches(KEY_ID)) {
        throw new ConfigException(SETTING + " entry " + position + " must be id:base64-key, with an id of 1-32"
            + " characters a-z, A-Z, 0-9, '_', '.', '-'");
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(SETTING + " key '" + id + "' is not base64");
      }
      if (key.length != KEY_BYTES) {
        throw new ConfigException(SETTING + " key '" + id + "' is " + key.length + " bytes; AES-256 needs "
            + KEY_BYTES + " (for example: openssl rand -base64 32)");
      }
      if (keys.putIfAbsent(id, new SecretKeySpec(key, "AES")) != null) {
        throw new ConfigException(SETTING + " names key '" + id + "' twice");
      }
      if (active == null) {
        active = id;
      }
    }
    if (active == null) {
      throw new ConfigException(SETTING + " holds no key");
    }
    return new SecretCipher(active, Map.copyOf(keys));
  }

  /** A new random key entry for {@code ENCRYPTION_KEYS}, as {@code id:base64}. */
  public static String generateEntry(String id) {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return id + ":" + Base64.getEncoder().encodeToString(key);
  }

  public String activeKeyId() {
    return activeKeyId;
  }

  /** Seals {@code plaintext} with the active key; {@code context} must be given again to open it. */
  public Sealed seal(byte[] plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), nonce, context);
      return new Sealed(activeKeyId, nonce, cipher.doFinal(plaintext));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /** Opens a value sealed by {@link #seal} under the same {@code context}. */
  public byte[] open(Sealed sealed, String context) {
    SecretKeySpec key = keys.get(sealed.keyId());
    if (key == null) {
      throw new UnreadableSecretException("sealed with encryption key '" + sealed.keyId() + "', which "
          + SETTING + " no longer holds; add it back after the active key");
    }
    try {
      return cipher(Cipher.DECRYPT_MODE, key, sealed.nonce(), context).doFinal(sealed.ciphertext());
    } catch (GeneralSecurityException e) {
      throw new UnreadableSecretException("does not open with encryption key '" + sealed.keyId()
          + "': altered, or stored for another record");
    }
  }

  /** Whether {@code sealed} should be sealed again with the active key. */
  public boolean needsRotation(Sealed sealed) {
    return !sealed.keyId().equals(activeKeyId);
  }

  private static Cipher cipher(int mode, SecretKeySpec key, byte[] nonce, String context)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  @Override
  public String toString() {
    return "SecretCipher[active=" + activeKeyId + ", keys=" + keys.keySet() + "]";
  }
}
