package io.infracast.api.evidence.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The Ed25519 key evidence is signed with, and its public half, which anyone may have to verify offline. Its id
 * ({@code ed25519-} and the first 16 hex digits of the SHA-256 of the raw public key) is written beside every
 * signature, so a verifier knows which key to use.
 */
public final class SigningKey {
  public static final String ALGORITHM = "Ed25519";
  /** The X.509 SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410), before its 32 raw bytes. */
  private static final byte[] X509_HEADER = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String id;

  private SigningKey(PrivateKey privateKey, PublicKey publicKey, byte[] rawPublic) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.id = "ed25519-" + Canonical.sha256(rawPublic).substring(0, 16);
  }

  /** The key of a PKCS#8 Ed25519 private key (the JDK cannot derive the public half: Bouncy Castle does). */
  public static SigningKey of(PrivateKey key) {
    if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
      throw new IllegalArgumentException("not an Ed25519 private key");
    }
    byte[] raw = new Ed25519PrivateKeyParameters(ed.getBytes().get(), 0).generatePublicKey().getEncoded();
    byte[] der = Arrays.copyOf(X509_HEADER, X509_HEADER.length + raw.length);
    System.arraycopy(raw, 0, der, X509_HEADER.length, raw.length);
    try {
      return new SigningKey(key, KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der)), raw);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK 15+ has Ed25519", e);
    }
  }

  /** A new random key (development, when none is configured). */
  public static SigningKey generate() {
    try {
      return of(KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair().getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK 15+ has Ed25519", e);
    }
  }

  public String id() {
    return id;
  }

  /** The public key as X.509 SubjectPublicKeyInfo DER. */
  public byte[] publicKeyDer() {
    return publicKey.getEncoded();
  }

  /** The public key as PEM ({@code openssl pkey -pubin} reads it). */
  public String publicKeyPem() {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(publicKeyDer()) + "\n-----END PUBLIC KEY-----\n";
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

  /** Whether {@code signature} (base64) is this key's signature of {@code data}; false for malformed ones. */
  public boolean verifies(byte[] data, String signature) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(ALGORITHM);
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
