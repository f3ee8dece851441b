package io.infracast.api.evidence.internal;

import io.infracast.api.platform.crypto.Ed25519Keys;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The Ed25519 key evidence is signed with, and its public half ({@link VerifyingKey}), whose id is written beside
 * every signature.
 */
public final class SigningKey {
  public static final String ALGORITHM = "Ed25519";

  private final PrivateKey privateKey;
  private final VerifyingKey publicKey;

  private SigningKey(PrivateKey privateKey, VerifyingKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** The key of a PKCS#8 Ed25519 private key (the JDK cannot derive the public half: Bouncy Castle does). */
  public static SigningKey of(PrivateKey key) {
    if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
      throw new IllegalArgumentException("not an Ed25519 private key");
    }
    return new SigningKey(key, VerifyingKey.ofRaw(
        new Ed25519PrivateKeyParameters(ed.getBytes().get(), 0).generatePublicKey().getEncoded()));
  }

  /** A new random key (development, when none is configured). */
  public static SigningKey generate() {
    return of(Ed25519Keys.generate());
  }

  public String id() {
    return publicKey.id();
  }

  public VerifyingKey publicKey() {
    return publicKey;
  }

  /** The signature of {@code data}, base64. */
  public String sign(byte[] data) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(privateKey);
      s.update(data);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }
}
