package io.candlebus.simulator;

/** Simulated exchange time: {@code start + realElapsed * speed}, in epoch ms, never going backwards. */
final class SimClock {
  private final long startTime;
  private final double speed;
  private final long startNanos;

  SimClock(long startTime, double speed) {
    this.startTime = startTime;
    this.speed = speed;
    this.startNanos = System.nanoTime();
  }

  long now() {
    return startTime + (long) ((System.nanoTime() - startNanos) / 1_000_000.0 * speed);
  }

  long startTime() {
    return startTime;
  }

  double speed() {
    return speed;
  }
}
