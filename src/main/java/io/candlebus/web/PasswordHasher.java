package io.candlebus.web;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA512 password hashes (OWASP 2023: at least 210 000 iterations), stored as
 * {@code $pbkdf2-sha512$i=<iterations>$<salt>$<hash>} (base64, no padding). Slow on purpose, so callers run it
 * on a worker thread, never an event loop.
 */
public final class PasswordHasher {
  public static final int ITERATIONS = 210_000;
  private static final int SALT_BYTES = 16;
  private static final int KEY_BITS = 512;
  private static final String PREFIX = "$pbkdf2-sha512$i=";
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Derived with when the user does not exist, so the answer takes as long either way. */
  private static final byte[] DUMMY_SALT = new byte[SALT_BYTES];

  public String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return PREFIX + ITERATIONS + "$" + B64.encodeToString(salt) + "$"
        + B64.encodeToString(derive(password, salt, ITERATIONS));
  }

  /** True when {@code password} matches {@code stored}; a null {@code stored} (no such user) takes as long. */
  public boolean verify(char[] password, String stored) {
    if (stored == null) {
      derive(password, DUMMY_SALT, ITERATIONS);
      return false;
    }
    String[] parts = stored.split("\\$");
    // "", "pbkdf2-sha512", "i=N", salt, hash
    if (parts.length != 5 || !"pbkdf2-sha512".equals(parts[1]) || !parts[2].startsWith("i=")) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[2].substring(2));
      byte[] salt = B64D.decode(parts[3]);
      byte[] expected = B64D.decode(parts[4]);
      byte[] actual = derive(password, salt, iterations);
      return MessageDigest.isEqual(expected, actual);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A random password for the first start's admin: 20 characters of base64url. */
  public static String randomPassword() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA512 is part of every Java 17 runtime", e);
    } finally {
      spec.clearPassword();
    }
  }
}
