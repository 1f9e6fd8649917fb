// The RSI alert box: "RSI(n) on <interval> crosses above A / below B" for the selected symbol, stored per user
// (/api/alerts/indicators) and evaluated by the server on each closed candle; a firing arrives on alerts.<user>
// and shows a note and beeps, once per crossing.

import { getJson, postJson, remove } from './api.js';
import { beep } from './sound.js';
import { element, toast } from './ui.js';

export class RsiAlertBox {
  #ui;
  #alerts = [];
  #view = { symbol: null, interval: null, period: 14 };
  #fired = []; // firings heard on this page, oldest first

  /** ui: {box, what, above, below, set, error, list}. */
  constructor(ui) {
    this.#ui = ui;
    ui.set.addEventListener('click', () => this.save());
    for (const input of [ui.above, ui.below]) {
      input.addEventListener('keydown', (e) => e.key === 'Enter' && this.save());
    }
  }

  async load() {
    this.#alerts = await getJson('/api/alerts/indicators');
    this.#show();
  }

  select(symbol, interval, period) {
    this.#view = { symbol, interval, period };
    this.#ui.error.textContent = '';
    this.#show();
  }

  async save() {
    const { symbol, interval, period } = this.#view;
    const body = { symbol, interval, name: 'rsi', period };
    const above = this.#ui.above.value.trim();
    const below = this.#ui.below.value.trim();
    if (above !== '') body.above = above;
    if (below !== '') body.below = below;
    this.#ui.error.textContent = '';
    try {
      if (above === '' && below === '') {
        const current = this.#current();
        if (current) {
          await remove(`/api/alerts/indicators/${current.id}`);
        }
      } else {
        await postJson('/api/alerts/indicators', body);
      }
      await this.load();
    } catch (e) {
      this.#ui.error.textContent = `Not saved: ${e.message}`;
    }
  }

  /** A firing from alerts.<user> with kind "rsi". */
  fired(a) {
    this.#fired.push(a);
    const verb = a.direction === 'above' ? 'crossed above' : 'crossed below';
    toast(`${a.symbol} RSI(${a.period}) ${a.interval} ${verb} ${a.level}: ${a.value} (was ${a.previous})`,
      a.direction === 'above' ? 'good' : 'warn', 10_000);
    beep();
    this.#show();
  }

  firings() {
    return [...this.#fired];
  }

  #current() {
    const { symbol, interval, period } = this.#view;
    return this.#alerts.find((a) => a.symbol === symbol && a.interval === interval && a.period === period);
  }

  #show() {
    const { symbol, interval, period } = this.#view;
    this.#ui.what.textContent = symbol ? `RSI(${period}) of ${symbol} on ${interval}, at each closed candle` : '';
    const current = this.#current();
    if (document.activeElement !== this.#ui.above && document.activeElement !== this.#ui.below) {
      this.#ui.above.value = current ? current.above ?? '' : '70';
      this.#ui.below.value = current ? current.below ?? '' : '30';
    }
    this.#ui.box.dataset.set = current ? 'true' : 'false';
    this.#ui.list.replaceChildren(...this.#alerts.map((a) => {
      const levels = [a.above && `↑ ${a.above}`, a.below && `↓ ${a.below}`].filter(Boolean).join('  ');
      const last = [...this.#fired].reverse().find((f) => f.id === a.id);
      const drop = element('button', { className: 'icon-button', text: '×', title: 'Delete this alert' });
      drop.type = 'button';
      drop.addEventListener('click', async () => {
        try {
          await remove(`/api/alerts/indicators/${a.id}`);
          await this.load();
        } catch (e) {
          this.#ui.error.textContent = `Not deleted: ${e.message}`;
        }
      });
      const item = element('li', {},
        element('span', { className: 'rsi-market', text: `${a.symbol} ${a.interval} RSI(${a.period})` }),
        element('span', { className: 'num', text: levels }),
        element('span', { className: 'muted', text: last ? `fired ${last.direction} ${last.value}` : '' }), drop);
      item.dataset.testid = `rsi-alert-${a.id}`;
      return item;
    }));
  }
}
