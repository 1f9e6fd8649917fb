// The candlestick chart with its volume pane, fed from a CandleBook. The book decides what wins; this module only
// turns its verdicts into the cheapest series update that keeps the chart right.

/* global LightweightCharts */
import { CandleBook, Change, normalizeCandle } from './candles.js';
import { COLORS, alertLine, chartOptions, minimumLine, priceFormat } from './chart-theme.js';
import { decimalPlaces } from './decimal.js';
import { ZoneShift } from './zone.js';

const { createChart, CandlestickSeries, HistogramSeries, LineSeries } = LightweightCharts;
const EDGE_BARS = 15; // load older history when the view comes this close to the oldest candle

export class CandleChart {
  #zone = new ZoneShift();
  #book = new CandleBook();
  #chart;
  #candles;
  #volume;
  #legend;
  #minimumLine = null;
  #alertLines = []; // [{alertId, kind, price, line}]: the alerts panel's levels
  #onNearOldest = () => {};
  #ignored = []; // the last few live updates the book refused (stale or repeated), for the tests

  constructor(container, legend) {
    this.#legend = legend;
    this.#chart = createChart(container, chartOptions(() => this.#zone));
    this.#candles = this.#chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up, downColor: COLORS.down, borderVisible: false,
      wickUpColor: COLORS.up, wickDownColor: COLORS.down,
    });
    this.#volume = this.#chart.addSeries(HistogramSeries, {
      priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false,
    }, 1);
    const [main, volume] = this.#chart.panes();
    main.setStretchFactor(4);
    volume.setStretchFactor(1);
    this.#chart.subscribeCrosshairMove((p) => this.#showLegend(p.time === undefined ? null : this.#zone.toUtcMs(p.time)));
    this.#chart.timeScale().subscribeVisibleLogicalRangeChange((range) => {
      if (range && range.from < EDGE_BARS && this.#book.size > 0) {
        this.#onNearOldest(this.#book.first().openTime);
      }
    });
  }

  /** handler(oldestOpenTime) when the trader scrolls back to the oldest candle the chart has. */
  onNearOldest(handler) {
    this.#onNearOldest = handler;
  }

  /** Empties the chart for another symbol or interval. */
  reset(label) {
    this.label = label;
    this.#book.clear();
    this.#zone = new ZoneShift();
    this.#candles.setData([]);
    this.#volume.setData([]);
    this.#showLegend(null);
  }

  get size() {
    return this.#book.size;
  }

  /** The newest candle, or undefined. */
  last() {
    return this.#book.last();
  }

  /** A page of history from the API (any order relative to live updates). */
  merge(rawCandles, { first = false } = {}) {
    const candles = rawCandles.map(normalizeCandle);
    if (first && candles.length > 0) {
      this.#candles.applyOptions({ priceFormat: priceFormat(placesOf(candles)) });
    }
    const before = this.#book.size;
    const range = this.#chart.timeScale().getVisibleLogicalRange();
    const oldest = this.#book.first()?.openTime;
    if (!this.#book.merge(candles)) {
      return 0;
    }
    this.#setAll();
    const prepended = oldest === undefined ? 0 : this.#book.list().findIndex((c) => c.openTime === oldest);
    if (range && prepended > 0) {
      // keep the trader's view where it was while older candles slide in on the left
      this.#chart.timeScale().setVisibleLogicalRange({ from: range.from + prepended, to: range.to + prepended });
    }
    return this.#book.size - before;
  }

  /** One live candle from the bridge. */
  apply(rawCandle) {
    const candle = normalizeCandle(rawCandle);
    const change = this.#book.upsert(candle);
    if (change === Change.IGNORED) {
      this.#ignored = [...this.#ignored.slice(-19), { openTime: candle.openTime, trades: candle.trades, closed: candle.closed }];
      return;
    }
    if (change === Change.INSERTED || this.#zone.isStale()) {
      this.#setAll();
      return;
    }
    try {
      this.#candles.update(this.#bar(candle), change === Change.OLDER);
      this.#volume.update(this.#volumeBar(candle), change === Change.OLDER);
    } catch (e) {
      console.warn('candle update refused, drawing all again', e);
      this.#setAll();
    }
    this.#showLegend(null);
  }

  /** What the candlestick series holds, oldest first, in UTC ms (the tests' view of the chart). */
  candles() {
    return this.#candles.data().map((bar) => ({
      openTime: bar.customValues.openTime,
      closeTime: bar.customValues.closeTime,
      close: bar.customValues.close,
      closed: bar.customValues.closed,
    }));
  }

  /** The last live updates refused as stale or repeated, oldest first. */
  ignored() {
    return [...this.#ignored];
  }

  /** A line or histogram for an indicator: on the price pane, or in a pane of its own ({ pane: 'new' }). */
  addIndicatorSeries(kind, options, { pane = 'price' } = {}) {
    const index = pane === 'price' ? 0 : pane === 'new' ? this.#chart.panes().length : pane;
    return this.#chart.addSeries(kind === 'histogram' ? HistogramSeries : LineSeries, {
      lastValueVisible: true, priceLineVisible: false, crosshairMarkerVisible: false, ...options,
    }, index);
  }

  /** Removes an indicator's series; a pane left empty goes with it. */
  removeIndicatorSeries(series) {
    this.#chart.removeSeries(series);
    this.#chart.panes().slice(2).filter((p) => p.getSeries().length === 0).reverse()
      .forEach((p) => this.#chart.removePane(p.paneIndex()));
  }

  /** The pane a series is drawn in. */
  paneOf(series) {
    return series.getPane().paneIndex();
  }

  paneCount() {
    return this.#chart.panes().length;
  }

  /** A UTC time in ms as this chart draws it (the candles' zone shift). */
  toChart(ms) {
    return this.#zone.toChart(ms);
  }

  setMinimum(price) {
    if (this.#minimumLine) {
      this.#candles.removePriceLine(this.#minimumLine);
      this.#minimumLine = null;
    }
    if (price !== null) {
      this.#minimumLine = this.#candles.createPriceLine(minimumLine(price));
    }
  }

  /** The levels of the selected symbol's active alerts, [{alertId, kind, price}]: all redrawn, they are few. */
  setAlertLines(levels) {
    this.#alertLines.forEach((l) => this.#candles.removePriceLine(l.line));
    this.#alertLines = levels.map((l) => ({ ...l, line: this.#candles.createPriceLine(alertLine(l.price, l.kind)) }));
  }

  /** What setAlertLines drew: [{alertId, kind, price (the alert's decimal), drawn (the chart line's number)}]. */
  alertLines() {
    return this.#alertLines.map(({ alertId, kind, price, line }) => ({ alertId, kind, price, drawn: line.options().price }));
  }

  #setAll() {
    if (this.#zone.isStale()) {
      this.#zone = new ZoneShift();
    }
    const all = this.#book.list();
    this.#candles.setData(all.map((c) => this.#bar(c)));
    this.#volume.setData(all.map((c) => this.#volumeBar(c)));
    this.#showLegend(null);
  }

  #bar(c) {
    return {
      time: this.#zone.toChart(c.openTime),
      open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close),
      customValues: { openTime: c.openTime, closeTime: c.closeTime, close: c.close, closed: c.closed },
    };
  }

  #volumeBar(c) {
    const up = Number(c.close) >= Number(c.open);
    return { time: this.#zone.toChart(c.openTime), value: Number(c.volume), color: up ? COLORS.upVolume : COLORS.downVolume };
  }

  // The hovered candle, or the newest one when the pointer is off the chart.
  #showLegend(openTime) {
    const c = (openTime !== null && this.#book.get(openTime)) || this.#book.last();
    this.#legend.replaceChildren(...legendParts(this.label, c));
  }
}

function placesOf(candles) {
  let places = 0;
  for (const c of candles.slice(-200)) {
    places = Math.max(places, decimalPlaces(c.open), decimalPlaces(c.high), decimalPlaces(c.low), decimalPlaces(c.close));
  }
  return places;
}

function span(text, className) {
  const s = document.createElement('span');
  s.textContent = text;
  if (className) {
    s.className = className;
  }
  return s;
}

function legendParts(label, c) {
  const parts = [span(label ?? '', 'legend-title')];
  if (!c) {
    return parts;
  }
  const direction = Number(c.close) >= Number(c.open) ? 'up' : 'down';
  const change = Number(c.open) === 0 ? 0 : ((Number(c.close) - Number(c.open)) / Number(c.open)) * 100;
  const percent = change.toFixed(2) === '-0.00' ? '0.00' : change.toFixed(2);
  for (const [name, value] of [['O', c.open], ['H', c.high], ['L', c.low], ['C', c.close]]) {
    parts.push(span(name, 'legend-key'), span(value, `legend-value ${direction}`));
  }
  parts.push(span(`${percent.startsWith('-') ? '' : '+'}${percent}%`, `legend-value ${direction}`));
  parts.push(span('Vol', 'legend-key'), span(c.volume, 'legend-value'));
  if (!c.closed) {
    parts.push(span('open', 'legend-open'));
  }
  return parts;
}
