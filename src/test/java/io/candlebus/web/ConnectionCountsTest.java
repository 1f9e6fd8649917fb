package io.candlebus.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConnectionCountsTest {
  @Test
  void anAddressIsCappedBeforeTheNodeAndEachRefusalCountsNothing() {
    ConnectionCounts c = new ConnectionCounts();
    assertThat(c.admit("a", 2, 3)).isNull();
    assertThat(c.admit("a", 2, 3)).isNull();
    assertThat(c.admit("a", 2, 3)).isEqualTo(Refusal.HTTP_CONNECTIONS_PER_ADDRESS);
    assertThat(c.admit("b", 2, 3)).isNull();
    assertThat(c.admit("c", 2, 3)).isEqualTo(Refusal.HTTP_CONNECTIONS);
    assertThat(c.total()).isEqualTo(3);
    assertThat(c.from("a")).isEqualTo(2);
    assertThat(c.from("c")).isZero();
    c.closed("a");
    assertThat(c.admit("c", 2, 3)).isNull();
    assertThat(c.from("c")).isEqualTo(1);
  }

  @Test
  void zeroIsNoCap() {
    ConnectionCounts c = new ConnectionCounts();
    IntStream.range(0, 1_000).forEach(i -> assertThat(c.admit("a", 0, 0)).isNull());
    assertThat(c.total()).isEqualTo(1_000);
  }

  @Test
  void twoEventLoopsAtOnceNeverPassTheCapsAndLeaveNothingBehind() {
    ConnectionCounts c = new ConnectionCounts();
    AtomicInteger admitted = new AtomicInteger();
    Runnable loop = () -> {
      for (int i = 0; i < 100_000; i++) {
        String address = "10.0.0." + (i % 3);
        if (c.admit(address, 40, 100) == null) {
          admitted.incrementAndGet();
          assertThat(c.total()).isLessThanOrEqualTo(100);
          assertThat(c.from(address)).isLessThanOrEqualTo(40);
          c.closed(address);
        }
      }
    };
    CompletableFuture.allOf(CompletableFuture.runAsync(loop), CompletableFuture.runAsync(loop)).join();
    assertThat(admitted.get()).isPositive();
    assertThat(c.total()).isZero();
    assertThat(c.from("10.0.0.0")).isZero();
  }
}
