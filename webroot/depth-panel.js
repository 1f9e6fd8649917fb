// The order book of the selected symbol beside the chart: asks above, bids below, each level with its size and
// the cumulative size from the best price outwards, the spread between them; live from market.depth.<S>, which
// says "resyncing" while the gateway rebuilds the book. Sums are exact decimal strings, never floats.

import { getJson } from './api.js';
import { addDecimals, subtractDecimals } from './decimal.js';
import { element } from './ui.js';

const FIRST_LEVELS = 20;

export class DepthPanel {
  #root;
  #asks;
  #bids;
  #spread;
  #status;
  #bridge;
  #unsubscribe = () => {};
  #symbol = null;
  #levels = null; // levels a side as published; the first REST answer is trimmed to it

  constructor(root, bridge) {
    this.#root = root;
    this.#bridge = bridge;
    this.#asks = root.querySelector('.depth-asks');
    this.#bids = root.querySelector('.depth-bids');
    this.#spread = root.querySelector('[data-testid="depth-spread"]');
    this.#status = root.querySelector('[data-testid="depth-state"]');
  }

  /** Shows symbol's book: the current one from /api/depth, then every published change. */
  async show(symbol) {
    this.#unsubscribe();
    this.#unsubscribe = () => {};
    this.#symbol = symbol;
    this.#render(symbol, null);
    this.#setState('loading', `Loading the book of ${symbol}…`);
    let first;
    try {
      first = await getJson(`/api/depth?symbol=${encodeURIComponent(symbol)}&limit=${FIRST_LEVELS}`);
    } catch (e) {
      if (symbol !== this.#symbol) {
        return;
      }
      if (e.status === 404) {
        this.#setState('none', `No order book for ${symbol}: the gateway keeps books for depth.symbols only.`);
        return;
      }
      first = e.status === 503 ? { symbol, state: 'RESYNCING', bids: [], asks: [] } : null;
      if (!first) {
        this.#setState('error', `Order book unavailable: ${e.message}`);
      }
    }
    if (symbol !== this.#symbol) {
      return;
    }
    this.#unsubscribe = this.#bridge.subscribe(`market.depth.${symbol}`, (book) => this.#arrived(symbol, book));
    if (first) {
      this.#arrived(symbol, first, true);
    }
  }

  #arrived(symbol, book, fromRest = false) {
    if (symbol !== this.#symbol || book.symbol !== symbol) {
      return;
    }
    if (book.state === 'RESYNCING') {
      this.#render(symbol, null);
      this.#setState('resyncing', `${symbol}: resyncing the order book…`);
      return;
    }
    if (!fromRest) {
      this.#levels = Math.max(book.bids.length, book.asks.length) || this.#levels;
    }
    const n = this.#levels ?? 10;
    this.#render(symbol, { ...book, bids: book.bids.slice(0, n), asks: book.asks.slice(0, n) });
    this.#setState('live', `update ${book.updateId}`);
  }

  #setState(state, text) {
    this.#root.dataset.state = state;
    this.#status.textContent = text;
  }

  #render(symbol, book) {
    this.#root.dataset.symbol = symbol;
    const bestBid = book?.bids[0]?.[0] ?? '';
    const bestAsk = book?.asks[0]?.[0] ?? '';
    this.#root.querySelector('[data-testid="depth-best-bid"]').textContent = bestBid || '—';
    this.#root.querySelector('[data-testid="depth-best-ask"]').textContent = bestAsk || '—';
    this.#root.dataset.bestBid = bestBid;
    this.#root.dataset.bestAsk = bestAsk;
    this.#root.dataset.updateId = book?.updateId ?? '';
    this.#spread.textContent = bestBid && bestAsk ? subtractDecimals(bestAsk, bestBid) : '—';
    // asks from the farthest down to the best, so the spread sits between the two best prices
    this.#asks.replaceChildren(...rows(book?.asks ?? [], 'ask').reverse());
    this.#bids.replaceChildren(...rows(book?.bids ?? [], 'bid'));
  }
}

function rows(levels, side) {
  let total = '0';
  return levels.map(([price, qty]) => {
    total = addDecimals(total, qty);
    const row = element('tr', { className: `depth-row ${side}` },
      element('td', { className: 'num depth-price', text: price }),
      element('td', { className: 'num', text: qty }),
      element('td', { className: 'num muted', text: total }));
    return row;
  });
}
