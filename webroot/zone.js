// lightweight-charts draws every time as UTC. To show the trader's wall clock we shift all times of a chart by one
// offset: the zone's offset now. One offset per data set keeps the times strictly ascending even across a DST
// change (a per-point offset would fold the repeated autumn hour onto itself and the chart would reject the data);
// labels that must be exact (crosshair, legend) are formatted from the real instant instead.

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

export class ZoneShift {
  constructor(now = Date.now()) {
    this.offsetSeconds = ZoneShift.offsetAt(now);
  }

  /** Seconds to add to UTC to get local wall-clock time at the instant ms. */
  static offsetAt(ms) {
    return -new Date(ms).getTimezoneOffset() * 60;
  }

  /** True when the zone's offset changed since this shift was made (the data should be set again). */
  isStale(now = Date.now()) {
    return ZoneShift.offsetAt(now) !== this.offsetSeconds;
  }

  toChart(ms) {
    return Math.floor(ms / 1000) + this.offsetSeconds;
  }

  toUtcMs(chartTime) {
    return (chartTime - this.offsetSeconds) * 1000;
  }
}

/** The local date and time of an instant, for labels. */
export function formatLocal(ms) {
  return dateTime.format(new Date(ms));
}

/** The browser's zone name, for the footer ("Europe/Berlin"). */
export function zoneName() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local time';
}
