// The carried symbols with their last prices, refreshed every few seconds from /api/symbols (the selected one
// also from its live trades); a dot marks the symbols trading at or above the trader's minimum.

import { getJson } from './api.js';
import { compareDecimals } from './decimal.js';
import { element } from './ui.js';

const REFRESH_MS = 3000;

export class Watchlist {
  #list;
  #rows = new Map(); // symbol → {row, price, dot}
  #minimumFor;
  #selected = null;
  #onPick;

  /** minimumFor(symbol) → the trader's minimum or null; onPick(symbol) when a row is clicked. */
  constructor(list, symbols, { minimumFor, onPick }) {
    this.#list = list;
    this.#minimumFor = minimumFor;
    this.#onPick = onPick;
    symbols.forEach((s) => this.add(s));
    setInterval(() => this.#refresh(), REFRESH_MS);
  }

  /** A symbol carried since the page loaded ({symbol, price}), or one of the first. */
  add(s) {
    if (this.#rows.has(s.symbol)) {
      return;
    }
    const price = element('span', { className: 'watch-price num', text: s.price ?? '—' });
    const dot = element('span', { className: 'watch-dot', title: 'At or above your minimum' });
    const row = element('button', { className: 'watch-row', title: `Show ${s.symbol}` },
      element('span', { className: 'watch-symbol', text: s.symbol }), dot, price);
    row.addEventListener('click', () => this.#onPick(s.symbol));
    this.#list.append(element('li', {}, row));
    this.#rows.set(s.symbol, { row, price, dot });
    this.price(s.symbol, s.price);
  }

  select(symbol) {
    this.#selected = symbol;
    for (const [s, { row }] of this.#rows) {
      row.classList.toggle('selected', s === symbol);
      row.setAttribute('aria-current', String(s === symbol));
    }
  }

  /** A price for symbol (a live trade, a poll); also re-checks its minimum. */
  price(symbol, price) {
    const r = this.#rows.get(symbol);
    if (!r || !price) {
      return;
    }
    const previous = r.price.textContent;
    if (previous !== price) {
      r.price.textContent = price;
      if (previous !== '—') {
        r.price.dataset.tick = compareDecimals(price, previous) > 0 ? 'up' : 'down';
      }
    }
    this.minimumChanged(symbol);
  }

  minimumChanged(symbol) {
    const r = this.#rows.get(symbol);
    const minimum = this.#minimumFor(symbol);
    const price = r?.price.textContent;
    if (r) {
      r.dot.dataset.on = String(minimum !== null && price !== '—' && compareDecimals(price, minimum) >= 0);
    }
  }

  async #refresh() {
    if (document.hidden) {
      return;
    }
    try {
      for (const s of await getJson('/api/symbols')) {
        if (s.symbol !== this.#selected) { // the selected one follows its trades, which are fresher
          this.price(s.symbol, s.price);
        }
      }
    } catch (e) {
      console.warn('watchlist', e);
    }
  }
}
