package io.infracast.api.evidence.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The public half of an evidence key, which anyone may have to verify offline. Its id ({@code ed25519-} and the
 * first 16 hex digits of the SHA-256 of the raw public key) is written beside every signature, so a verifier
 * knows which key to use.
 */
public final class VerifyingKey {
  /** The X.509 SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410), before its 32 raw bytes. */
  private static final byte[] X509_HEADER = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  private final PublicKey publicKey;
  private final String id;

  private VerifyingKey(PublicKey publicKey, byte[] raw) {
    this.publicKey = publicKey;
    this.id = "ed25519-" + Canonical.sha256(raw).substring(0, 16);
  }

  /** The key of 32 raw Ed25519 public key bytes. */
  static VerifyingKey ofRaw(byte[] raw) {
    byte[] der = Arrays.copyOf(X509_HEADER, X509_HEADER.length + raw.length);
    System.arraycopy(raw, 0, der, X509_HEADER.length, raw.length);
    return ofDer(der);
  }

  /** The key of its X.509 SubjectPublicKeyInfo DER (as {@link #der} gives it). */
  static VerifyingKey ofDer(byte[] der) {
    if (der.length != X509_HEADER.length + 32
        || !Arrays.equals(Arrays.copyOf(der, X509_HEADER.length), X509_HEADER)) {
      throw new IllegalArgumentException("not an Ed25519 public key (X.509 DER)");
    }
    try {
      return new VerifyingKey(KeyFactory.getInstance(SigningKey.ALGORITHM).generatePublic(
          new X509EncodedKeySpec(der)), Arrays.copyOfRange(der, X509_HEADER.length, der.length));
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("not an Ed25519 public key (X.509 DER)", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK 15+ has Ed25519", e);
    }
  }

  public String id() {
    return id;
  }

  /** The public key as X.509 SubjectPublicKeyInfo DER. */
  public byte[] der() {
    return publicKey.getEncoded();
  }

  /** The public key as PEM ({@code openssl pkey -pubin} reads it). */
  public String pem() {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** Whether {@code signature} (base64) is this key's signature of {@code data}; false for malformed ones. */
  public boolean verifies(byte[] data, String signature) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(SigningKey.ALGORITHM);
      s.initVerify(publicKey);
      s.update(data);
      return s.verify(raw);
    } catch (InvalidKeyException | SignatureException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK 15+ has Ed25519", e);
    }
  }
}
