// The last price, trade by trade (one point per second: the chart's time resolution), with the trader's minimum
// drawn across it. A baseline series at the minimum: green above it, red below, so the state reads at a glance.

/* global LightweightCharts */
import { COLORS, chartOptions, minimumLine, priceFormat } from './chart-theme.js';
import { decimalPlaces } from './decimal.js';
import { ZoneShift } from './zone.js';

const { createChart, BaselineSeries } = LightweightCharts;

const NEUTRAL = {
  topLineColor: COLORS.line, topFillColor1: 'rgba(76, 141, 255, 0.22)', topFillColor2: 'rgba(76, 141, 255, 0.02)',
  bottomLineColor: COLORS.line, bottomFillColor1: 'rgba(76, 141, 255, 0.02)', bottomFillColor2: 'rgba(76, 141, 255, 0.22)',
};
const AGAINST_MINIMUM = {
  topLineColor: COLORS.up, topFillColor1: 'rgba(22, 199, 132, 0.28)', topFillColor2: 'rgba(22, 199, 132, 0.04)',
  bottomLineColor: COLORS.down, bottomFillColor1: 'rgba(234, 57, 67, 0.04)', bottomFillColor2: 'rgba(234, 57, 67, 0.28)',
};
const KEEP = 5000; // points kept; the oldest go when there are a fifth more

export class TradeChart {
  #zone = new ZoneShift();
  #chart;
  #series;
  #points = [];
  #places = 0;
  #minimumLine = null;
  #minimum = null;

  constructor(container) {
    this.#chart = createChart(container, chartOptions(() => this.#zone, { seconds: true }));
    this.#series = this.#chart.addSeries(BaselineSeries, {
      ...NEUTRAL, lineWidth: 2, priceLineColor: COLORS.line,
      // the minimum stays in view even when the price is far from it: seeing the distance is the point
      autoscaleInfoProvider: (original) => withMinimum(original(), this.#minimum),
    });
  }

  reset() {
    this.#points = [];
    this.#places = 0;
    this.#zone = new ZoneShift();
    this.#series.setData([]);
  }

  /** A trade {price, time}; older than the newest point it is not drawn (the chart only grows rightwards). */
  add({ price, time }) {
    this.#widenPrecision(price);
    const point = { time: this.#zone.toChart(time), value: Number(price) };
    const last = this.#points[this.#points.length - 1];
    if (last && point.time < last.time) {
      return;
    }
    if (last && point.time === last.time) {
      this.#points[this.#points.length - 1] = point;
    } else {
      this.#points.push(point);
    }
    if (this.#points.length > KEEP * 1.2 || this.#zone.isStale()) {
      this.#setAll();
    } else {
      this.#series.update(point);
    }
  }

  setMinimum(price) {
    this.#minimum = price === null ? null : Number(price);
    this.#series.applyOptions(price === null ? NEUTRAL
      : { ...AGAINST_MINIMUM, baseValue: { type: 'price', price: this.#minimum } });
    if (this.#minimumLine) {
      this.#series.removePriceLine(this.#minimumLine);
      this.#minimumLine = null;
    }
    if (price !== null) {
      this.#minimumLine = this.#series.createPriceLine(minimumLine(price));
    }
  }

  #setAll() {
    const utc = this.#points.slice(-KEEP).map((p) => ({ ms: this.#zone.toUtcMs(p.time), value: p.value }));
    this.#zone = new ZoneShift();
    this.#points = utc.map((p) => ({ time: this.#zone.toChart(p.ms), value: p.value }));
    this.#series.setData(this.#points);
  }

  #widenPrecision(price) {
    const places = decimalPlaces(price);
    if (places > this.#places) {
      this.#places = places;
      this.#series.applyOptions({ priceFormat: priceFormat(places) });
    }
  }
}

function withMinimum(info, minimum) {
  if (!info || minimum === null) {
    return info;
  }
  const { minValue, maxValue } = info.priceRange;
  return { ...info, priceRange: { minValue: Math.min(minValue, minimum), maxValue: Math.max(maxValue, minimum) } };
}
