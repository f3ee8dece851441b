package io.infracast.api.platform.crypto;

import io.infracast.contract.ConfigException;
import io.infracast.contract.RuntimeSettings;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** {@code EVIDENCE_SIGNING_KEY}: an Ed25519 private key in PKCS#8, as PEM or as base64 of the DER. */
public final class Ed25519Keys {
  public static final String SETTING = RuntimeSettings.EVIDENCE_SIGNING_KEY;

  private Ed25519Keys() {}

  /** Parses the setting's value; anything else is a {@link ConfigException} that never quotes it. */
  public static PrivateKey parsePrivate(String value) {
    String base64 = value.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new ConfigException(SETTING + " is not an Ed25519 private key (PKCS#8 PEM, or base64 of"
          + " its DER; for example: openssl genpkey -algorithm ed25519)");
    }
  }

  /** A new random key. */
  public static PrivateKey generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK 15+ has Ed25519", e);
    }
  }
}
