// The indicator bar above the candle chart and the indicators it draws: checkboxes like TradingView's, overlays on
// the price pane (SMA, EMA, Bollinger bands), RSI and MACD in panes of their own. Values come from the server
// (/api/indicators for history, market.indicator.<S>.<i>.<name>:<params> live), exact decimal strings kept beside
// the numbers the chart draws. Which indicators are on is the user's setting, saved on the server by the page.

import { getJson } from './api.js';
import { CATALOG, entry, fromText, keyOf, paramsText, queryOf } from './indicator-catalog.js';
import { element } from './ui.js';

const HISTORY = 500; // as many points as the candle chart loads candles
const STYLE = {
  sma: { value: '#f0b90b' },
  ema: { value: '#b388ff' },
  bb: { middle: '#5b9cf6', upper: '#5b9cf6aa', lower: '#5b9cf6aa' },
  rsi: { value: '#c678dd' },
  macd: { macd: '#2962ff', signal: '#ff6d00', histogram: '#26a69a' },
};

export class Indicators {
  #chart;
  #bridge;
  #onChange;
  #error;
  #inputs = new Map(); // name -> {box, params}
  #enabled = new Map(); // name -> settings entry
  #drawn = new Map(); // key -> {indicator, series, points, unsubscribe}
  #view = { symbol: null, interval: null };

  /** ui: {bar, error}; onChange(list) saves the list and resolves to it as the server normalised it. */
  constructor(ui, chart, bridge, { onChange }) {
    this.#chart = chart;
    this.#bridge = bridge;
    this.#onChange = onChange;
    this.#error = ui.error;
    for (const e of CATALOG) {
      const box = element('input');
      box.type = 'checkbox';
      box.dataset.testid = `indicator-${e.name}`;
      const params = element('input', { className: 'indicator-params num' });
      params.dataset.testid = `indicator-${e.name}-params`;
      params.value = paramsText({ name: e.name });
      params.size = Math.max(3, params.value.length);
      params.setAttribute('aria-label', `${e.label} ${e.params.join(', ')}`);
      box.addEventListener('change', () => this.#edited());
      params.addEventListener('change', () => this.#edited());
      this.#inputs.set(e.name, { box, params });
      ui.bar.append(element('label', { className: 'indicator', title: e.params.join(', ') }, box,
        element('span', { text: e.label }), params));
    }
  }

  /** The saved list (already normalised by the server). */
  setEnabled(list) {
    this.#enabled = new Map((list ?? []).filter((i) => entry(i.name)).map((i) => [i.name, i]));
    for (const [name, { box, params }] of this.#inputs) {
      const on = this.#enabled.get(name);
      box.checked = Boolean(on);
      if (on) {
        params.value = paramsText(on);
      }
    }
  }

  enabledList() {
    return [...this.#enabled.values()];
  }

  /** The RSI period the trader looks at (for RSI alerts): the one drawn, else the usual 14. */
  rsiPeriod() {
    return this.#enabled.get('rsi')?.period ?? 14;
  }

  /** Draws the enabled indicators for a view; call after the candle chart was reset for it. */
  show(symbol, interval) {
    this.#view = { symbol, interval };
    [...this.#drawn.keys()].forEach((k) => this.#erase(k));
    this.#enabled.forEach((i) => this.#draw(i));
  }

  async #edited() {
    const list = [];
    try {
      for (const [name, { box, params }] of this.#inputs) {
        if (box.checked) {
          list.push(fromText(name, params.value));
        }
      }
    } catch (e) {
      this.#error.textContent = e.message;
      return;
    }
    try {
      this.#error.textContent = '';
      this.setEnabled(await this.#onChange(list));
    } catch (e) {
      this.#error.textContent = e.message;
      this.setEnabled(this.enabledList()); // back to what is saved
      return;
    }
    const keys = new Set(this.enabledList().map(keyOf));
    [...this.#drawn.keys()].filter((k) => !keys.has(k)).forEach((k) => this.#erase(k));
    this.enabledList().filter((i) => !this.#drawn.has(keyOf(i))).forEach((i) => this.#draw(i));
  }

  #draw(indicator) {
    const key = keyOf(indicator);
    const e = entry(indicator.name);
    const series = {};
    let pane = e.own ? 'new' : 'price';
    for (const field of e.fields) {
      const kind = field === 'histogram' ? 'histogram' : 'line';
      series[field] = this.#chart.addIndicatorSeries(kind, {
        color: STYLE[e.name][field], lineWidth: field === 'value' || field === 'macd' || field === 'middle' ? 2 : 1,
        title: field === e.fields[0] ? key.toUpperCase() : '',
      }, { pane });
      if (e.own) {
        pane = this.#chart.paneOf(series[field]); // the rest of its lines in the same pane
      }
    }
    if (e.name === 'rsi') {
      for (const level of [70, 30]) {
        series.value.createPriceLine({ price: level, color: '#8a8f98', lineWidth: 1, lineStyle: 2, axisLabelVisible: true });
      }
    }
    const d = { indicator, key, series, points: new Map(), loaded: false };
    const { symbol, interval } = this.#view;
    // subscribe before fetching: a value computed meanwhile is not lost
    d.unsubscribe = this.#bridge.subscribe(`market.indicator.${symbol}.${interval}.${key}`, (p) => {
      if (this.#drawn.get(key) === d && p.symbol === symbol && p.interval === interval) {
        this.#live(d, p);
      }
    });
    this.#drawn.set(key, d);
    this.#load(d, symbol, interval);
  }

  async #load(d, symbol, interval) {
    try {
      const history = await getJson(`/api/indicators?symbol=${symbol}&interval=${interval}&limit=${HISTORY}&${queryOf(d.indicator)}`);
      if (this.#drawn.get(d.key) !== d) {
        return;
      }
      const live = d.points;
      d.points = new Map(history.map((p) => [p.time, p]));
      live.forEach((p, t) => d.points.set(t, p)); // what came live is newer than the history
      d.loaded = true;
      this.#setAll(d);
    } catch (e) {
      this.#error.textContent = `${d.key}: ${e.message}`;
    }
  }

  #live(d, p) {
    d.points.set(p.time, p);
    if (!d.loaded) {
      return;
    }
    try {
      for (const [field, s] of Object.entries(d.series)) {
        if (p[field] !== null && p[field] !== undefined) {
          s.update(this.#bar(field, p.time, p[field]));
        }
      }
    } catch {
      this.#setAll(d); // an older point than the last drawn: draw all again
    }
  }

  #setAll(d) {
    const points = [...d.points.values()].sort((a, b) => a.time - b.time);
    for (const [field, s] of Object.entries(d.series)) {
      s.setData(points.filter((p) => p[field] !== null && p[field] !== undefined)
        .map((p) => this.#bar(field, p.time, p[field])));
    }
  }

  #bar(field, time, value) {
    const bar = { time: this.#chart.toChart(time), value: Number(value) };
    if (field === 'histogram') {
      bar.color = Number(value) >= 0 ? '#26a69a99' : '#ef535099';
    }
    return bar;
  }

  #erase(key) {
    const d = this.#drawn.get(key);
    this.#drawn.delete(key);
    d.unsubscribe();
    Object.values(d.series).forEach((s) => this.#chart.removeIndicatorSeries(s));
  }

  // --- for the browser tests ---

  keys() {
    return [...this.#drawn.keys()];
  }

  /** The exact values drawn for an indicator, oldest first: [{time, value|middle..}]. */
  values(key) {
    const d = this.#drawn.get(key);
    return d ? [...d.points.values()].sort((a, b) => a.time - b.time) : [];
  }

  /** How many points each of its series holds, and the pane it is in. */
  drawn(key) {
    const d = this.#drawn.get(key);
    if (!d) {
      return null;
    }
    const first = Object.values(d.series)[0];
    return { pane: this.#chart.paneOf(first), panes: this.#chart.paneCount(), points: first.data().length };
  }
}
