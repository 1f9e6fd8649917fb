package io.candlebus.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private static final long T = 1_700_000_000_000L;

  @Test
  void failuresAreFirstSlowedThenRefusedUntilTheyAge() {
    LoginThrottle t = new LoginThrottle();
    for (int i = 0; i < LoginThrottle.SLOW_AFTER; i++) {
      assertThat(t.check("bob", "10.0.0.1", T + i).delayMs()).isZero();
      t.failed("bob", "10.0.0.1", T + i);
    }
    LoginThrottle.Decision slowed = t.check("bob", "10.0.0.1", T + 10);
    assertThat(slowed.refused()).isFalse();
    assertThat(slowed.delayMs()).isEqualTo(LoginThrottle.FIRST_DELAY_MS);
    for (int i = LoginThrottle.SLOW_AFTER; i < LoginThrottle.REFUSE_AFTER; i++) {
      t.failed("bob", "10.0.0.1", T + i);
    }
    LoginThrottle.Decision refused = t.check("bob", "10.0.0.1", T + 20);
    assertThat(refused.refused()).isTrue();
    assertThat(refused.retryAfterMs()).isEqualTo(LoginThrottle.WINDOW_MS - 20);
    assertThat(t.check("bob", "10.0.0.1", T + LoginThrottle.WINDOW_MS + 1).refused()).isFalse();
  }

  @Test
  void usernameAndAddressAreCountedApart() {
    LoginThrottle t = new LoginThrottle();
    for (int i = 0; i < LoginThrottle.REFUSE_AFTER; i++) {
      t.failed("user" + i, "10.0.0.9", T);  // a spray of usernames from one address
    }
    assertThat(t.check("someone-else", "10.0.0.9", T).refused()).isTrue();
    assertThat(t.check("someone-else", "10.0.0.8", T).refused()).isFalse();
    for (int i = 0; i < LoginThrottle.REFUSE_AFTER; i++) {
      t.failed("carol", "10.1.0." + i, T);  // one username from many addresses
    }
    assertThat(t.check("carol", "10.2.2.2", T).refused()).isTrue();
    t.succeeded("carol");
    assertThat(t.check("carol", "10.2.2.2", T).refused()).isFalse();
  }
}
