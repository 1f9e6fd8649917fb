// The candles of one symbol and interval, keyed by open time. Updates come from two sources that race (REST
// history and the bridge), may repeat, may arrive late, and may correct an older candle: the book decides which
// version of a window wins and tells the chart how to apply it.

/** What an upsert did, so the chart can pick the cheapest correct update. */
export const Change = Object.freeze({
  IGNORED: 'ignored',         // stale or duplicate: nothing to draw
  LAST: 'last',               // the newest window, new or changed
  OLDER: 'older',             // an older window that the chart already has
  INSERTED: 'inserted',       // an older window the chart lacks: the series must be set again
});

/** Whether incoming should replace existing (same window). */
export function supersedes(incoming, existing) {
  if (!existing) {
    return true;
  }
  if (incoming.closed) {
    return true; // the final word on a window, or a late correction of it
  }
  if (existing.closed) {
    return false; // an update sent before the close, delivered after it
  }
  return incoming.trades >= existing.trades; // trades only grow while a window is open
}

/** A candle from the API or the bridge; decimals stay strings, numbers are added for drawing only. */
export function normalizeCandle(raw) {
  return {
    openTime: Number(raw.openTime),
    closeTime: Number(raw.closeTime),
    open: String(raw.open),
    high: String(raw.high),
    low: String(raw.low),
    close: String(raw.close),
    volume: String(raw.volume),
    trades: Number(raw.trades ?? 0),
    closed: raw.closed === true,
  };
}

export class CandleBook {
  #byOpen = new Map();
  #times = []; // ascending open times
  #limit;

  constructor(limit = 5000) {
    this.#limit = limit;
  }

  get size() {
    return this.#times.length;
  }

  /** Oldest first. */
  list() {
    return this.#times.map((t) => this.#byOpen.get(t));
  }

  first() {
    return this.#byOpen.get(this.#times[0]);
  }

  last() {
    return this.#byOpen.get(this.#times[this.#times.length - 1]);
  }

  get(openTime) {
    return this.#byOpen.get(openTime);
  }

  clear() {
    this.#byOpen.clear();
    this.#times = [];
  }

  /** Applies one candle; returns a {@link Change}. */
  upsert(candle) {
    const existing = this.#byOpen.get(candle.openTime);
    if (!supersedes(candle, existing)) {
      return Change.IGNORED;
    }
    this.#byOpen.set(candle.openTime, candle);
    const newest = this.#times[this.#times.length - 1];
    if (existing) {
      return candle.openTime === newest ? Change.LAST : Change.OLDER;
    }
    if (newest === undefined || candle.openTime > newest) {
      this.#times.push(candle.openTime);
      return this.#trim() ? Change.INSERTED : Change.LAST;
    }
    this.#times.splice(this.#insertionPoint(candle.openTime), 0, candle.openTime);
    this.#trim();
    return Change.INSERTED;
  }

  /** Applies many (a REST page); true when anything changed. */
  merge(candles) {
    let changed = false;
    for (const c of candles) {
      changed = this.upsert(c) !== Change.IGNORED || changed;
    }
    return changed;
  }

  #insertionPoint(openTime) {
    let lo = 0;
    let hi = this.#times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#times[mid] < openTime) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  // Drops the oldest beyond the limit; true when it did (the chart must be set again).
  #trim() {
    const excess = this.#times.length - this.#limit;
    if (excess <= 0) {
      return false;
    }
    for (const t of this.#times.splice(0, excess)) {
      this.#byOpen.delete(t);
    }
    return true;
  }
}
