// The alerts panel (issue 13): the user's price_above/below, crossing_up/down and change_pct alerts on /api/alerts,
// a form to create or edit one, pause/resume and delete, the firings heard on alerts.<user> (a banner with the
// note, the alert's sound) and, below, the firing history and the webhook (alert-history.js). The minimum
// price and RSI alerts keep their own boxes.

import {
  MAX_NOTE, alertToForm, describeAlert, describeFiring, errorField, formToBody, isPanelKind, pauseBody,
} from './alert-format.js';
import { AlertHistory } from './alert-history.js';
import { getJson, postJson, putJson, remove } from './api.js';
import { play } from './sound.js';
import { element, toast } from './ui.js';
import { formatLocal } from './zone.js';

const FIELDS = ['kind', 'symbol', 'level', 'percent', 'window', 'frequency', 'cooldown', 'bar', 'expires', 'note',
  'sound'];
const BLANK = { kind: 'crossing_up', level: '', percent: '', window: '15m', frequency: 'once', cooldown: '5m',
  bar: '1h', expires: '', note: '', sound: 'beep', paused: false };

export class AlertsPanel {
  #ui;
  #history;
  #alerts = []; // the panel's kinds only, as the API gives them
  #symbol = null;
  #editing = null; // the stored alert the form edits, or null for a new one
  #paused = false; // the edited alert's, kept by a save
  #fired = []; // firing messages heard on this page, oldest first
  #onLines;
  #onPick;

  /**
   * ui: {box, list, count, banner, form, <each of FIELDS>, noteCount, trySound, save, cancel, error, history: {…}};
   * onLines([{alertId, kind, price}]) for the chart, onPick(symbol) from a row.
   */
  constructor(ui, { onLines, onPick }) {
    this.#ui = ui;
    this.#onLines = onLines;
    this.#onPick = onPick;
    this.#history = new AlertHistory(ui.history);
    ui.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.save();
    });
    ui.cancel.addEventListener('click', () => this.#resetForm());
    ui.kind.addEventListener('change', () => this.#showFields());
    ui.frequency.addEventListener('change', () => this.#showFields());
    ui.note.maxLength = MAX_NOTE;
    ui.note.addEventListener('input', () => this.#showNoteCount());
    ui.trySound.addEventListener('click', () => play(ui.sound.value));
    ui.banner.addEventListener('click', () => { ui.banner.hidden = true; });
    setInterval(() => this.#show(), 30_000); // an expiry passes without a message
    this.#resetForm();
  }

  /** The alerts, the history and the webhook (at start and after a reconnect). */
  async load() {
    await Promise.all([this.#loadAlerts(), this.#history.load(), this.#history.loadWebhook()]);
  }

  async #loadAlerts() {
    this.#alerts = (await getJson('/api/alerts')).filter((a) => isPanelKind(a.kind));
    this.#changed();
  }

  /** The selected symbol: its lines on the chart, and the form's default while it is not being edited. */
  select(symbol) {
    const followed = !this.#editing && (this.#ui.symbol.value === '' || this.#ui.symbol.value === this.#symbol);
    this.#symbol = symbol;
    if (followed) {
      this.#ui.symbol.value = symbol;
    }
    this.#changed();
  }

  /** Stores the form: a new alert (POST) or the edited one (PUT, which re-arms it). */
  async save() {
    const values = Object.fromEntries(FIELDS.map((f) => [f, this.#ui[f].value]));
    const checked = formToBody({ ...values, paused: this.#paused });
    if (!checked.ok) {
      this.#showError(checked.field, `${checked.field}: ${checked.error}`);
      return;
    }
    this.#showError(null, '');
    const editing = this.#editing;
    try {
      const stored = editing ? await putJson(`/api/alerts/${editing.id}`, checked.body)
        : await postJson('/api/alerts', checked.body);
      this.#put(stored);
      this.#resetForm();
    } catch (e) {
      const field = e.status === 400 ? errorField(e.message) : null;
      const text = e.status === 409 ? `Not saved, too many alerts: ${e.message}` : `Not saved: ${e.message}`;
      this.#showError(FIELDS.includes(field) ? field : null, text);
    }
  }

  /** The form filled with a stored alert; Save then PUTs it. */
  edit(id) {
    const a = this.#alerts.find((x) => x.id === id);
    if (!a) return;
    const values = alertToForm(a);
    FIELDS.forEach((f) => { this.#ui[f].value = values[f]; });
    this.#editing = a;
    this.#paused = values.paused;
    this.#ui.save.textContent = 'Save';
    this.#ui.cancel.hidden = false;
    this.#ui.box.dataset.editing = String(id);
    this.#showError(null, '');
    this.#showFields();
    this.#showNoteCount();
  }

  async setPaused(id, paused) {
    const a = this.#alerts.find((x) => x.id === id);
    if (!a) return;
    try {
      this.#put(await putJson(`/api/alerts/${id}`, pauseBody(a, paused)));
    } catch (e) {
      this.#showError(errorField(e.message), `Not ${paused ? 'paused' : 'resumed'}: ${e.message}`);
    }
  }

  async delete(id) {
    try {
      await remove(`/api/alerts/${id}`);
    } catch (e) {
      if (e.status !== 404) { // 404: already gone (another tab)
        this.#showError(null, `Not deleted: ${e.message}`);
        return;
      }
    }
    this.#alerts = this.#alerts.filter((a) => a.id !== id);
    if (this.#editing?.id === id) this.#resetForm();
    this.#changed();
  }

  /** A message of alerts.<user> with one of the panel's kinds, or {kind:"webhook"}. */
  fired(f) {
    if (f.kind === 'webhook') {
      this.#history.webhookOutcome(f);
      return;
    }
    this.#fired.push(f);
    play(f.sound ?? 'beep');
    const text = `${f.symbol} ${describeFiring(f)} at ${f.price}${f.note ? ` — ${f.note}` : ''}`;
    toast(text, 'good', 10_000);
    this.#ui.banner.textContent = text;
    this.#ui.banner.dataset.firingId = f.id;
    this.#ui.banner.hidden = false;
    this.#history.add(f);
    this.#history.reload(); // for the webhook state the server gives it
    const a = this.#alerts.find((x) => x.id === f.alertId);
    if (!a) {
      this.#loadAlerts().catch((e) => console.warn('alerts', e)); // made elsewhere since the last load
      return;
    }
    a.lastFired = f.time;
    if (f.done) a.state = 'done';
    this.#changed();
  }

  alerts() {
    return this.#alerts.map((a) => ({ ...a, state: stateOf(a) }));
  }

  firings() {
    return [...this.#fired];
  }

  history() {
    return this.#history.rows();
  }

  #put(stored) {
    this.#alerts = [...this.#alerts.filter((a) => a.id !== stored.id), stored].sort((a, b) => a.id - b.id);
    this.#changed();
  }

  #changed() {
    this.#show();
    this.#onLines(this.#alerts.filter((a) => a.symbol === this.#symbol && a.kind !== 'change_pct'
      && stateOf(a) === 'active').map((a) => ({ alertId: a.id, kind: a.kind, price: a.level })));
  }

  #resetForm() {
    FIELDS.forEach((f) => { if (f !== 'symbol') this.#ui[f].value = BLANK[f]; });
    this.#ui.symbol.value = this.#symbol ?? '';
    this.#editing = null;
    this.#paused = false;
    this.#ui.save.textContent = 'Create';
    this.#ui.cancel.hidden = true;
    delete this.#ui.box.dataset.editing;
    this.#showError(null, '');
    this.#showFields();
    this.#showNoteCount();
  }

  #showFields() {
    const change = this.#ui.kind.value === 'change_pct';
    this.#ui.level.closest('label').hidden = change;
    this.#ui.percent.closest('label').hidden = !change;
    this.#ui.window.closest('label').hidden = !change;
    this.#ui.cooldown.closest('label').hidden = this.#ui.frequency.value !== 'every';
    this.#ui.bar.closest('label').hidden = this.#ui.frequency.value !== 'once_per_bar';
  }

  #showNoteCount() {
    this.#ui.noteCount.textContent = `${this.#ui.note.value.length}/${MAX_NOTE}`;
  }

  // The server's 400 names the field: the text goes under the form and that field is marked.
  #showError(field, text) {
    this.#ui.error.textContent = text;
    this.#ui.error.dataset.field = field ?? '';
    FIELDS.forEach((f) => this.#ui[f].toggleAttribute('aria-invalid', f === field));
  }

  #show() {
    const rows = this.#alerts.map((a) => this.#row(a));
    this.#ui.list.replaceChildren(...rows);
    this.#ui.count.textContent = rows.length > 0 ? String(rows.length) : '';
  }

  #row(a) {
    const state = stateOf(a);
    const pick = element('button', { className: 'link', text: a.symbol, title: `Show ${a.symbol}` });
    pick.type = 'button';
    pick.addEventListener('click', () => this.#onPick(a.symbol));
    const details = [a.note, a.expires && `until ${formatLocal(a.expires)}`,
      a.lastFired && `fired ${formatLocal(a.lastFired)}`].filter(Boolean);
    // done and expired alerts have nothing to pause: an edit (PUT) re-arms them
    const pause = state === 'paused' ? button('▶', 'Resume', 'alert-resume', () => this.setPaused(a.id, false))
      : state === 'active' ? button('‖', 'Pause', 'alert-pause', () => this.setPaused(a.id, true)) : '';
    const li = element('li', {},
      element('div', { className: 'alert-line' }, pick,
        element('span', { className: 'alert-what', text: describeAlert(a) }),
        element('span', { className: `alert-pill ${state}`, text: state })),
      element('div', { className: 'alert-details muted', text: details.join(' · ') }),
      element('div', { className: 'alert-actions' },
        button('✎', 'Edit (saving re-arms it)', 'alert-edit', () => this.edit(a.id)), pause,
        button('×', 'Delete', 'alert-delete', () => this.delete(a.id))));
    li.dataset.testid = `alert-${a.id}`;
    li.dataset.alertId = String(a.id);
    li.dataset.state = state;
    li.dataset.kind = a.kind;
    li.classList.toggle('current', a.symbol === this.#symbol);
    return li;
  }
}

/** The server's state, unless an expiry passed since it said it (it sends no message for that). */
function stateOf(a) {
  return (a.state === 'active' || a.state === 'paused') && a.expires && a.expires <= Date.now() ? 'expired' : a.state;
}

function button(text, title, testid, onClick) {
  const b = element('button', { className: 'icon-button', text, title });
  b.type = 'button';
  b.dataset.testid = testid;
  b.addEventListener('click', onClick);
  return b;
}
