package io.candlebus.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher();

  @Test
  void hashesWithPbkdf2Sha512At210000IterationsAndAFreshSalt() {
    String a = hasher.hash("s3cret passphrase".toCharArray());
    String b = hasher.hash("s3cret passphrase".toCharArray());
    assertThat(a).startsWith("$pbkdf2-sha512$i=210000$").doesNotContain("s3cret");
    assertThat(a).isNotEqualTo(b);
    assertThat(hasher.verify("s3cret passphrase".toCharArray(), a)).isTrue();
    assertThat(hasher.verify("s3cret passphrasf".toCharArray(), a)).isFalse();
    assertThat(hasher.verify("s3cret passphrase".toCharArray(), null)).as("unknown user").isFalse();
    assertThat(hasher.verify("x".toCharArray(), "garbage")).isFalse();
  }

  @Test
  void randomPasswordsAreLongAndDifferent() {
    assertThat(PasswordHasher.randomPassword()).hasSize(20).isNotEqualTo(PasswordHasher.randomPassword());
  }
}
