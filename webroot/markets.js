// The markets view: every Binance symbol from exchangeInfo, the ones this user had not seen before marked NEW.
// The server marks them seen when it answers, so the page asks once per load and keeps the marks for the visit.

import { getJson } from './api.js';
import { element, marketPills } from './ui.js';

const SHOWN = 250; // rows drawn at once; the filter narrows the rest
const RETRY_MS = 30_000; // after a 503 (Binance's exchangeInfo not reachable right now)

export class MarketsPanel {
  #ui;
  #carried;
  #onPick;
  #markets = [];
  #fresh = new Set();

  /** ui: {details, count, filter, rows, note}; carried: the symbols candlebus carries (pickable). */
  constructor(ui, { carried, onPick }) {
    this.#ui = ui;
    this.#carried = new Set(carried);
    this.#onPick = onPick;
    ui.filter.addEventListener('input', () => this.#render());
  }

  async load() {
    try {
      const markets = await getJson('/api/markets');
      this.#markets = markets.sort(byInterest(this.#carried));
      this.#fresh = new Set(markets.filter((m) => m.new).map((m) => m.symbol));
      const fresh = this.#fresh.size;
      this.#ui.count.textContent = String(fresh);
      this.#ui.count.dataset.fresh = String(fresh > 0);
    } catch (e) {
      this.#ui.count.textContent = '–';
      this.#ui.count.title = 'Markets unavailable';
      const retry = e.status === 503;
      this.#ui.note.textContent = `Markets unavailable: ${e.message}.${retry ? ' Retrying shortly.' : ''}`;
      if (retry) {
        setTimeout(() => this.load(), RETRY_MS);
      }
      return;
    }
    this.#ui.count.title = '';
    this.#render();
  }

  /** Whether the user had not seen symbol before this visit. */
  isNew(symbol) {
    return this.#fresh.has(symbol);
  }

  /** symbol is carried now (opened from the board): it becomes pickable here too. */
  carried(symbol) {
    this.#carried.add(symbol);
    if (this.#markets.length) {
      this.#render();
    }
  }

  #render() {
    const words = this.#ui.filter.value.trim().toUpperCase();
    const matching = words ? this.#markets.filter((m) => matches(m, words)) : this.#markets;
    this.#ui.rows.replaceChildren(...matching.slice(0, SHOWN).map((m) => this.#row(m)));
    this.#ui.note.textContent = matching.length > SHOWN
      ? `${SHOWN} of ${matching.length.toLocaleString()} shown: type to filter`
      : `${matching.length.toLocaleString()} of ${this.#markets.length.toLocaleString()} markets`;
  }

  #row(m) {
    const name = this.#carried.has(m.symbol)
      ? pickButton(m.symbol, () => this.#onPick(m.symbol))
      : element('span', { text: m.symbol });
    const symbolCell = element('td', { className: 'market-symbol' }, name);
    symbolCell.append(...marketPills({ isNew: m.new === true, carried: this.#carried.has(m.symbol), status: m.status }));
    const pair = `${m.baseAsset}/${m.quoteAsset}`;
    const tr = element('tr', {}, symbolCell, element('td', { text: pair, title: pair }));
    tr.classList.toggle('is-new', m.new === true);
    tr.classList.toggle('halted', m.status !== 'TRADING');
    return tr;
  }
}

function pickButton(symbol, onClick) {
  const b = element('button', { className: 'link', text: symbol, title: `Show ${symbol}` });
  b.addEventListener('click', onClick);
  return b;
}

function matches(m, words) {
  return m.symbol.includes(words) || m.baseAsset === words || m.quoteAsset === words;
}

// New first, then the carried ones, then by name.
function byInterest(carried) {
  return (a, b) => (b.new === true) - (a.new === true)
    || carried.has(b.symbol) - carried.has(a.symbol)
    || a.symbol.localeCompare(b.symbol);
}
