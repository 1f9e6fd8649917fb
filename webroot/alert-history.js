// The alerts panel's lower half: the firings of the user's alerts (GET /api/alerts/history, newest first) and the
// webhook every firing is posted to (GET/PUT/DELETE /api/alerts/webhook).

import { describeFiring } from './alert-format.js';
import { getJson, putJson, remove } from './api.js';
import { element } from './ui.js';
import { formatLocal } from './zone.js';

const SHOWN = 50; // the panel is small; the API keeps more
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: '2-digit' });

export class AlertHistory {
  #ui;
  #rows = []; // newest first, as the API gives them
  #outcomes = new Map(); // firing id → {state, error}: a webhook outcome heard before its row arrived
  #failed = 0;
  #reloading = null;

  /** ui: {list, url, save, remove, error, failed}. */
  constructor(ui) {
    this.#ui = ui;
    ui.save.addEventListener('click', () => this.saveWebhook());
    ui.url.addEventListener('keydown', (e) => e.key === 'Enter' && this.saveWebhook());
    ui.remove.addEventListener('click', () => this.removeWebhook());
  }

  /** The stored firings again; firings heard here and not yet in the answer stay on top. */
  async load() {
    const stored = await getJson(`/api/alerts/history?limit=${SHOWN}`);
    const ids = new Set(stored.map((f) => f.id));
    const oldest = stored.at(-1)?.time ?? 0;
    const heard = this.#rows.filter((f) => !ids.has(f.id) && f.time >= oldest);
    this.#rows = [...heard, ...stored].sort((a, b) => b.time - a.time).slice(0, SHOWN);
    this.#show();
  }

  /** Reloads once for a burst of firings (the server stores each before it publishes it). */
  reload() {
    this.#reloading ??= new Promise((resolve) => setTimeout(resolve, 500))
      .then(() => this.load()).catch((e) => console.warn('alert history', e)).finally(() => { this.#reloading = null; });
    return this.#reloading;
  }

  /** A firing message: on top at once, as the server will list it. */
  add(f) {
    const row = { webhook: 'none', ...f };
    this.#rows = [row, ...this.#rows.filter((r) => r.id !== f.id)].slice(0, SHOWN);
    this.#show();
  }

  /** {kind:"webhook", id, state: delivered|failed, error?} */
  webhookOutcome(o) {
    this.#outcomes.set(o.id, { state: o.state, error: o.error });
    if (o.state === 'failed') {
      this.#failed++;
    }
    this.#show();
  }

  /** The rows shown, newest first, with the webhook state they show. */
  rows() {
    return this.#rows.map((f) => ({ ...f, ...this.#webhookOf(f) }));
  }

  async loadWebhook() {
    const hook = await getJson('/api/alerts/webhook');
    this.#failed = hook.failed ?? 0;
    if (document.activeElement !== this.#ui.url) {
      this.#ui.url.value = hook.url ?? '';
    }
    this.#showWebhook(hook.url);
  }

  async saveWebhook() {
    const url = this.#ui.url.value.trim();
    if (url === '') {
      return this.removeWebhook();
    }
    this.#ui.error.textContent = '';
    try {
      const saved = await putJson('/api/alerts/webhook', { url });
      this.#ui.url.value = saved.url ?? url;
      this.#showWebhook(saved.url ?? url);
    } catch (e) {
      this.#ui.error.textContent = `Not saved: ${e.message}`;
    }
    return undefined;
  }

  async removeWebhook() {
    this.#ui.error.textContent = '';
    try {
      await remove('/api/alerts/webhook');
      this.#ui.url.value = '';
      this.#showWebhook(null);
    } catch (e) {
      this.#ui.error.textContent = `Not removed: ${e.message}`;
    }
  }

  // A pending row takes the outcome heard on the bus; the server's later word (delivered/failed) wins.
  #webhookOf(f) {
    const heard = this.#outcomes.get(f.id);
    if (heard && (f.webhook === 'pending' || f.webhook === 'none' || f.webhook === undefined)) {
      return { webhook: heard.state, webhookError: heard.error ?? f.webhookError };
    }
    return { webhook: f.webhook ?? 'none', webhookError: f.webhookError };
  }

  #showWebhook(url) {
    this.#ui.remove.hidden = !url;
    this.#showFailed();
  }

  #showFailed() {
    this.#ui.failed.textContent = this.#failed > 0 ? `${this.#failed} failed` : '';
    this.#ui.failed.title = this.#failed > 0 ? 'Firings whose webhook delivery failed' : '';
  }

  #show() {
    this.#showFailed();
    const items = this.rows().map((f) => {
      const hook = element('span', { className: 'hook-state', text: f.webhook === 'none' ? '' : `hook ${f.webhook}`,
        title: f.webhookError ?? '' });
      const li = element('li', { title: formatLocal(f.time) },
        element('span', { className: 'num muted', text: shortTime(f.time) }),
        element('span', { className: 'fired-symbol', text: f.symbol }),
        element('span', { className: 'fired-what', text: describeFiring(f) }),
        element('span', { className: 'num', text: `at ${f.price}` }), hook);
      if (f.note) {
        li.append(element('span', { className: 'fired-note', text: f.note }));
      }
      li.dataset.testid = 'alert-firing';
      li.dataset.firingId = f.id;
      li.dataset.firedAlert = String(f.alertId); // not data-alert-id: that names the alert rows above
      li.dataset.webhook = f.webhook;
      return li;
    });
    this.#ui.list.replaceChildren(...items);
    this.#ui.list.dataset.empty = String(items.length === 0);
  }
}

function shortTime(ms) {
  const t = new Date(ms);
  return t.toDateString() === new Date().toDateString() ? clock.format(t) : `${day.format(t)} ${clock.format(t)}`;
}
