package io.candlebus.simulator;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A fault that hits the next {@code count} calls that ask for it: set from any thread (replacing what is left of
 * the previous one; 0 clears it), taken by the calls it hits, each counting it down.
 */
final class Countdown<T> {
  private record State<T>(T value, int remaining) {}

  private final AtomicReference<State<T>> state = new AtomicReference<>();

  void set(T value, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, not " + count);
    }
    state.set(count == 0 ? null : new State<>(value, count));
  }

  /** The value for this call, counting it down; null when no fault is pending. */
  T take() {
    while (true) {
      State<T> s = state.get();
      if (s == null) {
        return null;
      }
      State<T> next = s.remaining() <= 1 ? null : new State<>(s.value(), s.remaining() - 1);
      if (state.compareAndSet(s, next)) {
        return s.value();
      }
    }
  }
}
