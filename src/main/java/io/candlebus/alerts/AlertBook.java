package io.candlebus.alerts;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Every user's alerts ({@link AlertSpec}) and what each trade fires, symbol by symbol. Levels are indexed
 * ({@link LevelIndex}), so a trade costs a few comparisons however many alerts a symbol has, and only fired alerts
 * are looked at; an alert that fired leaves its index until it may fire again (cooldown, next bar) or for good
 * (once). Expiry ends an alert at the first trade at or after it. Pure, no Vert.x; not thread-safe.
 */
public final class AlertBook {
  private static final MathContext PERCENT = MathContext.DECIMAL64;

  /** What a trade did to an alert. */
  public sealed interface Event permits Fired, Expired {}

  /** {@code alert} fired at the trade of {@code time} and {@code price}; {@code reference}: change_pct's base. */
  public record Fired(AlertSpec alert, long time, BigDecimal price, BigDecimal reference, boolean done)
      implements Event {}

  /** {@code alert} reached its expiry before firing (again). */
  public record Expired(AlertSpec alert, long time) implements Event {}

  /** One alert's state: armed in an index, or waiting to be armed again. */
  private static final class Live {
    final AlertSpec spec;
    boolean removed;
    long rearmAt;

    Live(AlertSpec spec) {
      this.spec = spec;
    }
  }

  private static final class PctWindow {
    final LevelIndex<Live> up = new LevelIndex<>(); // percent > 0, by percent
    final LevelIndex<Live> down = new LevelIndex<>(); // percent < 0
  }

  private static final class Market {
    final LevelIndex<Live> above = new LevelIndex<>();
    final LevelIndex<Live> below = new LevelIndex<>();
    final LevelIndex<Live> crossUp = new LevelIndex<>();
    final LevelIndex<Live> crossDown = new LevelIndex<>();
    final Map<Long, PctWindow> windows = new HashMap<>();
    final PriorityQueue<Live> waiting = new PriorityQueue<>(Comparator.comparingLong(l -> l.rearmAt));
    final PriorityQueue<Live> expiring = new PriorityQueue<>(Comparator.comparingLong(l -> l.spec.expires()));
    final PriceTrail trail = new PriceTrail();
    BigDecimal previous;
  }

  private final Map<String, Market> markets = new HashMap<>();
  private final Map<Long, Live> byId = new HashMap<>();

  public int size() {
    return byId.size();
  }

  /** Adds or replaces (by id) an alert; a paused one is kept out of evaluation. */
  public void put(AlertSpec spec) {
    remove(spec.id());
    if (spec.paused()) {
      return;
    }
    Live live = new Live(spec);
    byId.put(spec.id(), live);
    Market m = markets.computeIfAbsent(spec.symbol(), s -> new Market());
    arm(m, live);
    if (spec.expires() > 0) {
      m.expiring.add(live);
    }
  }

  /**
   * Adds or replaces an alert that last fired at {@code lastFired} (epoch ms, 0 for never), as stored by the node
   * that evaluated it before: it waits out its cooldown or bar from then, as it would have there.
   */
  public void put(AlertSpec spec, long lastFired) {
    put(spec);
    Live live = byId.get(spec.id());
    if (live == null || lastFired <= 0 || spec.frequency() == AlertSpec.Frequency.ONCE) {
      return;
    }
    Market m = markets.get(spec.symbol());
    index(m, spec).remove(key(spec), live);
    live.rearmAt = rearmAt(spec, lastFired);
    m.waiting.add(live);
  }

  public void remove(long id) {
    Live live = byId.remove(id);
    if (live != null) {
      live.removed = true;
      Market m = markets.get(live.spec.symbol());
      index(m, live.spec).remove(key(live.spec), live); // a waiting one is skipped when its time comes
    }
  }

  /** A price known from stored candles (for change_pct's past), not a trade: nothing fires. */
  public void seed(String symbol, long time, BigDecimal price) {
    markets.computeIfAbsent(symbol, s -> new Market()).trail.record(time, price);
  }

  /** The events of one trade of {@code symbol}, in no particular order; an empty list mostly. */
  public List<Event> onTrade(String symbol, long time, BigDecimal price) {
    Market m = markets.get(symbol);
    if (m == null) {
      return List.of();
    }
    List<Event> out = null;
    while (!m.waiting.isEmpty() && m.waiting.peek().rearmAt <= time) {
      Live l = m.waiting.poll();
      if (!l.removed) {
        arm(m, l);
      }
    }
    while (!m.expiring.isEmpty() && m.expiring.peek().spec.expires() <= time) {
      Live l = m.expiring.poll();
      if (!l.removed) {
        remove(l.spec.id());
        out = add(out, new Expired(l.spec, time));
      }
    }
    List<Live> fired = new ArrayList<>(0);
    if (m.above.anyAtOrBelow(price)) {
      m.above.take(m.above.levels().headMap(price, true), fired::add);
    }
    if (m.below.anyAtOrAbove(price)) {
      m.below.take(m.below.levels().tailMap(price, true), fired::add);
    }
    BigDecimal previous = m.previous;
    if (previous != null) {
      int move = price.compareTo(previous);
      if (move > 0 && m.crossUp.anyCrossedUp(previous, price)) {
        m.crossUp.take(m.crossUp.levels().subMap(previous, false, price, true), fired::add);
      } else if (move < 0 && m.crossDown.anyCrossedDown(previous, price)) {
        m.crossDown.take(m.crossDown.levels().subMap(price, true, previous, false), fired::add);
      }
    }
    Map<Live, BigDecimal> references = m.windows.isEmpty() ? Map.of() : new HashMap<>();
    for (Map.Entry<Long, PctWindow> e : m.windows.entrySet()) {
      BigDecimal reference = m.trail.at(time - e.getKey());
      if (reference == null || reference.signum() <= 0) {
        continue;
      }
      BigDecimal change = price.subtract(reference).multiply(BigDecimal.valueOf(100)).divide(reference, PERCENT);
      PctWindow w = e.getValue();
      List<Live> moved = new ArrayList<>(0);
      if (w.up.anyAtOrBelow(change)) {
        w.up.take(w.up.levels().headMap(change, true), moved::add);
      }
      if (w.down.anyAtOrAbove(change)) {
        w.down.take(w.down.levels().tailMap(change, true), moved::add);
      }
      moved.forEach(l -> references.put(l, reference));
      fired.addAll(moved);
    }
    m.previous = price;
    m.trail.record(time, price);
    for (Live l : fired) {
      if (!l.removed) {
        out = add(out, fire(m, l, time, price, references.get(l)));
      }
    }
    return out == null ? List.of() : out;
  }

  private Fired fire(Market m, Live l, long time, BigDecimal price, BigDecimal reference) {
    AlertSpec a = l.spec;
    boolean done = a.frequency() == AlertSpec.Frequency.ONCE;
    if (done) {
      byId.remove(a.id());
      l.removed = true;
    } else {
      l.rearmAt = rearmAt(a, time);
      m.waiting.add(l);
    }
    return new Fired(a, time, price, reference, done);
  }

  private static long rearmAt(AlertSpec a, long fired) {
    return a.frequency() == AlertSpec.Frequency.EVERY ? fired + Math.max(0, a.cooldownMs())
        : a.bar().nextOpenTime(a.bar().openTime(fired));
  }

  private static List<Event> add(List<Event> out, Event e) {
    List<Event> list = out == null ? new ArrayList<>(2) : out;
    list.add(e);
    return list;
  }

  private static void arm(Market m, Live l) {
    index(m, l.spec).add(key(l.spec), l);
  }

  private static LevelIndex<Live> index(Market m, AlertSpec a) {
    return switch (a.kind()) {
      case PRICE_ABOVE -> m.above;
      case PRICE_BELOW -> m.below;
      case CROSSING_UP -> m.crossUp;
      case CROSSING_DOWN -> m.crossDown;
      case CHANGE_PCT -> {
        PctWindow w = m.windows.computeIfAbsent(a.windowMs(), x -> new PctWindow());
        yield a.percent().signum() > 0 ? w.up : w.down;
      }
    };
  }

  private static BigDecimal key(AlertSpec a) {
    return a.kind() == AlertSpec.Kind.CHANGE_PCT ? a.percent() : a.level();
  }
}
