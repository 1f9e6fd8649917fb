// The all-market board: every Binance market's last price, 24 h change and quote volume from /api/tickers, kept
// live by market.ticker (the changed entries once a second), each change flashing up or down. Sortable, filtered
// by quote asset and a search. Clicking a market opens its chart; one candlebus does not carry yet is carried
// first (the page's onOpen does that).

import { getJson } from './api.js';
import { compareRows, compareSigned, filterRows, isNewer, quoteAssets } from './board-order.js';
import { element, marketPills } from './ui.js';

const SHOWN = 200; // rows drawn at once; sort, filter or search narrow the rest
const FLASH_MS = 900;
const RETRY_MS = 5_000;

export class TickerBoard {
  #ui;
  #onOpen;
  #isCarried;
  #isNew;
  #rows = new Map(); // symbol → the latest entry
  #flashes = new Map(); // symbol → 'up' | 'down', for the next render
  #sort = 'volume';
  #renderQueued = false;
  #markets = null;

  /** ui: {panel, coverage, quote, search, rows, sortButtons}; onOpen(symbol); isCarried(symbol); isNew(symbol). */
  constructor(ui, bridge, { onOpen, isCarried, isNew }) {
    this.#ui = ui;
    this.#onOpen = onOpen;
    this.#isCarried = isCarried;
    this.#isNew = isNew;
    for (const b of ui.sortButtons) {
      b.addEventListener('click', () => this.sortBy(b.dataset.sort));
    }
    ui.quote.addEventListener('change', () => this.#queueRender());
    ui.search.addEventListener('input', () => this.#queueRender());
    bridge.subscribe('market.ticker', (entries) => this.#apply(entries, true));
    this.#markSort();
  }

  async load() {
    try {
      const entries = await getJson('/api/tickers');
      this.#apply(entries, false);
      this.#ui.panel.dataset.state = 'live';
    } catch (e) {
      if (e.status === 503 && /tickers = false/.test(e.message)) {
        this.#ui.panel.hidden = true; // the board is off on this gateway
        return;
      }
      this.#ui.panel.dataset.state = 'unavailable';
      this.#ui.coverage.textContent = `Board unavailable: ${e.message}. Retrying.`;
      setTimeout(() => this.load(), RETRY_MS);
    }
  }

  sortBy(sort) {
    this.#sort = sort;
    this.#markSort();
    this.#queueRender();
  }

  /** For tests: the symbols in the order shown. */
  shown() {
    return [...this.#ui.rows.querySelectorAll('tr')].map((tr) => tr.dataset.symbol);
  }

  size() {
    return this.#rows.size;
  }

  refresh() {
    this.#queueRender();
  }

  #apply(entries, live) {
    for (const e of entries) {
      const held = this.#rows.get(e.symbol);
      if (!isNewer(e, held)) {
        continue; // the page may get a REST answer and a bridge message in either order
      }
      if (live && held && held.last !== e.last) {
        this.#flashes.set(e.symbol, compareSigned(e.last, held.last) > 0 ? 'up' : 'down');
      }
      this.#rows.set(e.symbol, e);
    }
    this.#queueRender();
  }

  #markSort() {
    for (const b of this.#ui.sortButtons) {
      b.setAttribute('aria-pressed', String(b.dataset.sort === this.#sort));
    }
    this.#ui.panel.dataset.sort = this.#sort;
  }

  #queueRender() {
    if (!this.#renderQueued) {
      this.#renderQueued = true;
      requestAnimationFrame(() => this.#render());
    }
  }

  #render() {
    this.#renderQueued = false;
    const all = [...this.#rows.values()];
    this.#fillQuotes(all);
    const matching = filterRows(all, { quote: this.#ui.quote.value, search: this.#ui.search.value })
      .sort(compareRows(this.#sort));
    this.#ui.rows.replaceChildren(...matching.slice(0, SHOWN).map((r) => this.#row(r)));
    this.#ui.coverage.textContent = `${matching.length.toLocaleString()} of ${all.length.toLocaleString()} markets`
      + (matching.length > SHOWN ? ` (first ${SHOWN} shown)` : '');
    this.#flashes.clear();
  }

  #fillQuotes(all) {
    const quotes = quoteAssets(all);
    const key = quotes.join(',');
    if (key === this.#markets) {
      return;
    }
    this.#markets = key;
    const chosen = this.#ui.quote.value;
    this.#ui.quote.replaceChildren(new Option('All quotes', ''), ...quotes.map((q) => new Option(q, q)));
    this.#ui.quote.value = quotes.includes(chosen) ? chosen : '';
  }

  #row(r) {
    const open = element('button', { className: 'link', text: r.symbol, title: this.#isCarried(r.symbol)
      ? `Show ${r.symbol}` : `Carry ${r.symbol} and show its chart` });
    open.dataset.testid = 'board-open';
    open.addEventListener('click', () => this.#onOpen(r.symbol));
    const name = element('td', { className: 'board-symbol' }, open);
    name.append(...marketPills({ isNew: this.#isNew(r.symbol), carried: this.#isCarried(r.symbol), status: r.status }));
    const change = element('td', { className: 'num change', text: `${r.changePercent}%` });
    change.dataset.sign = r.changePercent.startsWith('-') ? 'down' : r.changePercent === '0' ? 'flat' : 'up';
    const tr = element('tr', {}, name, element('td', { className: 'num', text: r.last }), change,
      element('td', { className: 'num', text: r.quoteVolume, title: `${r.volume} ${r.baseAsset ?? ''}` }));
    tr.dataset.symbol = r.symbol;
    const flash = this.#flashes.get(r.symbol);
    if (flash) {
      tr.classList.add(`flash-${flash}`);
      tr.dataset.flash = flash;
      setTimeout(() => tr.classList.remove(`flash-${flash}`), FLASH_MS);
    }
    return tr;
  }
}
