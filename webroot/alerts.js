// The minimum-price box: the selected symbol's minimum (stored per user with /api/alerts), highlighted while the
// last price is at or above it, with a beep each time the price crosses into that zone.

import { getJson, postJson, remove } from './api.js';
import { compareDecimals, isDecimal, normalizeDecimal } from './decimal.js';
import { beep, isMuted, setMuted } from './sound.js';
import { element } from './ui.js';

export class MinimumPriceBox {
  #ui;
  #alerts = new Map(); // symbol → {id, symbol, price}
  #symbol = null;
  #lastPrice = null;
  #on = null; // unknown until the first evaluation for a symbol
  #onMinimum;
  #onPick;
  #saving = Promise.resolve();

  /** ui: {box, input, state, error, list, mute}; onMinimum(price|null) for the charts, onPick(symbol) from the list. */
  constructor(ui, { onMinimum, onPick }) {
    this.#ui = ui;
    this.#onMinimum = onMinimum;
    this.#onPick = onPick;
    ui.input.addEventListener('change', () => this.save());
    ui.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        this.save();
      } else if (e.key === 'Escape') {
        this.#showInput();
      }
    });
    ui.mute.addEventListener('click', () => {
      setMuted(!isMuted());
      this.#showMute();
    });
    this.#showMute();
  }

  /** Reads the user's alerts again (at start and after a reconnect: another device may have changed them). */
  async load() {
    // the list holds the alerts panel's kinds too (issue 13): this box is only the minimum prices
    const list = (await getJson('/api/alerts')).filter((a) => !a.kind || a.kind === 'minimum');
    this.#alerts = new Map(list.map((a) => [a.symbol, a]));
    if (document.activeElement !== this.#ui.input) {
      this.#showInput();
    }
    this.#changed();
  }

  select(symbol, lastPrice) {
    this.#symbol = symbol;
    this.#lastPrice = lastPrice;
    this.#on = null;
    this.#ui.input.setAttribute('aria-label', `Minimum price for ${symbol}`);
    this.#ui.error.textContent = '';
    this.#showInput();
    this.#changed();
  }

  /** A new last price of the selected symbol. */
  price(lastPrice) {
    this.#lastPrice = lastPrice;
    this.#evaluate(true);
  }

  minimum() {
    return this.minimumFor(this.#symbol);
  }

  minimumFor(symbol) {
    return this.#alerts.get(symbol)?.price ?? null;
  }

  isOn() {
    return this.#on === true;
  }

  /** Stores what the input holds; saves run one after another (Enter and the change event both ask). */
  save() {
    this.#saving = this.#saving.then(() => this.#save());
    return this.#saving;
  }

  async #save() {
    const symbol = this.#symbol;
    const text = this.#ui.input.value.trim();
    const current = this.#alerts.get(symbol);
    this.#ui.error.textContent = '';
    try {
      if (text === '') {
        if (current) {
          await remove(`/api/alerts/${current.id}`);
          this.#alerts.delete(symbol);
        }
      } else if (!isDecimal(text) || compareDecimals(text, '0') <= 0) {
        this.#ui.error.textContent = 'Enter a price above zero, digits and a dot: 49000.5';
        return;
      } else if (!current || compareDecimals(text, current.price) !== 0) {
        const stored = await postJson('/api/alerts', { symbol, price: normalizeDecimal(text) });
        this.#alerts.set(symbol, stored);
      }
    } catch (e) {
      this.#ui.error.textContent = `Not saved: ${e.message}`;
      return;
    }
    if (symbol === this.#symbol) {
      this.#showInput();
    }
    this.#changed();
  }

  #changed() {
    this.#onMinimum(this.minimum());
    this.#evaluate(false);
    this.#showList();
  }

  // Beeps only when a new price crosses into "on": not on load, not when the trader moves the minimum.
  #evaluate(byPrice) {
    const minimum = this.minimum();
    const known = minimum !== null && this.#lastPrice !== null;
    const on = known && compareDecimals(this.#lastPrice, minimum) >= 0;
    if (byPrice && on && this.#on === false) {
      beep();
    }
    this.#on = known ? on : null;
    this.#ui.box.dataset.alert = on ? 'on' : 'off';
    this.#ui.box.dataset.level = minimum === null ? 'none' : on ? 'above' : 'below';
    this.#ui.state.textContent = describe(minimum, this.#lastPrice, on);
  }

  #showInput() {
    this.#ui.input.value = this.minimum() ?? '';
  }

  #showMute() {
    const muted = isMuted();
    this.#ui.mute.dataset.muted = String(muted);
    this.#ui.mute.title = muted ? 'Sound off: click to hear crossings' : 'Sound on: click to mute';
    this.#ui.mute.setAttribute('aria-pressed', String(muted));
  }

  #showList() {
    const items = [...this.#alerts.values()].sort((a, b) => a.symbol.localeCompare(b.symbol)).map((a) => {
      const pick = element('button', { className: 'link', text: a.symbol, title: `Show ${a.symbol}` });
      pick.addEventListener('click', () => this.#onPick(a.symbol));
      const li = element('li', {}, pick, element('span', { className: 'num', text: `≥ ${a.price}` }));
      li.classList.toggle('current', a.symbol === this.#symbol);
      return li;
    });
    this.#ui.list.replaceChildren(...items);
    this.#ui.list.hidden = items.length === 0;
  }
}

function describe(minimum, last, on) {
  if (minimum === null) {
    return 'No minimum set. Type a price and press Enter.';
  }
  if (last === null) {
    return 'Waiting for the first trade…';
  }
  if (on) {
    return 'At or above your minimum.';
  }
  const gap = ((Number(minimum) - Number(last)) / Number(minimum)) * 100;
  return `Below your minimum by ${gap.toFixed(2)}%.`;
}
