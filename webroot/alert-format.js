// The alerts panel's pure part (issue 13): durations, descriptions and the form ↔ /api/alerts body mapping, kept
// free of the DOM so node tests can check them (webroot/test/alert-format.test.js).

import { compareDecimals, isDecimal, normalizeDecimal } from './decimal.js';

export const KINDS = Object.freeze(['price_above', 'price_below', 'crossing_up', 'crossing_down', 'change_pct']);
export const FREQUENCIES = Object.freeze(['once', 'every', 'once_per_bar']);
export const SOUNDS = Object.freeze(['beep', 'chime', 'alarm', 'none']);
export const MAX_NOTE = 250; // AlertInput.MAX_NOTE
const MIN_WINDOW = 60_000;
const MAX_WINDOW = 86_400_000;

const VERBS = {
  price_above: 'at or above', price_below: 'at or below', crossing_up: 'crosses above', crossing_down: 'crosses below',
};
const UNITS = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]];

/** An alert the panel owns: the kinds of issue 13 (the minimum box and the RSI box keep theirs). */
export function isPanelKind(kind) {
  return KINDS.includes(kind);
}

/** "30s", "15m", "1h", "1d" (the server's forms) or plain digits of ms → ms; null when it is neither. */
export function parseDuration(text) {
  const t = String(text ?? '').trim();
  if (/^[1-9]\d{0,12}$/.test(t)) {
    return Number(t);
  }
  const m = /^([1-9]\d{0,6})([smhd])$/.exec(t);
  return m ? Number(m[1]) * UNITS.find(([u]) => u === m[2])[1] : null;
}

/** ms in the largest unit that divides it exactly, so parseDuration reads it back: 900000 → "15m", 90000 → "90s". */
export function formatDuration(ms) {
  const unit = UNITS.find(([, size]) => ms > 0 && ms % size === 0);
  return unit ? `${ms / unit[1]}${unit[0]}` : `${ms}ms`;
}

/** A decimal with its whole part grouped by thousands when long: "50000.5" → "50 000.5"; "4999" stays. */
export function groupDigits(decimal) {
  const [whole, fraction] = String(decimal).split('.');
  const grouped = whole.length > 4 ? whole.replace(/\B(?=(\d{3})+$)/g, ' ') : whole;
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

function signed(percent) {
  return percent.startsWith('-') ? `−${percent.slice(1)}` : `+${percent.replace(/^\+/, '')}`;
}

/** What the alert watches: "crosses above 50 000.5", "moves −2.5% in 15m". */
export function describeCondition(a) {
  if (a.kind === 'change_pct') {
    return `moves ${signed(a.percent)}% in ${formatDuration(a.window)}`;
  }
  return `${VERBS[a.kind] ?? a.kind} ${groupDigits(a.level)}`;
}

export function describeFrequency(a) {
  if (a.frequency === 'every') {
    return `every ${formatDuration(a.cooldown ?? 60_000)}`;
  }
  return a.frequency === 'once_per_bar' ? `once per ${a.bar ?? '1m'} bar` : 'once';
}

/** "crosses above 50 000.5 · every 5m" */
export function describeAlert(a) {
  return `${describeCondition(a)} · ${describeFrequency(a)}`;
}

/** What a firing (history row or bus message) met: "crosses above 50 000.5", "moves −2.5% from 51 000". */
export function describeFiring(f) {
  if (f.kind === 'change_pct') {
    const from = f.reference ? ` from ${groupDigits(f.reference)}` : '';
    return `moves ${f.percent ? signed(f.percent) : ''}%${from}`;
  }
  return f.level ? `${VERBS[f.kind] ?? f.kind} ${groupDigits(f.level)}` : (VERBS[f.kind] ?? f.kind);
}

/** datetime-local text ("2026-12-31T23:30", the browser's zone) → epoch ms; null if empty or not such a time. */
export function localToEpoch(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(String(text ?? '').trim());
  if (!m) {
    return null;
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0));
  return new Date(y, mo - 1, d, h, mi, s).getTime();
}

/** epoch ms → datetime-local text in the browser's zone; "" for none. */
export function epochToLocal(ms) {
  if (ms === null || ms === undefined) {
    return '';
  }
  const t = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}T${p(t.getHours())}:${p(t.getMinutes())}`;
}

const fail = (field, error) => ({ ok: false, field, error });

/**
 * The form's texts → the POST/PUT body, or the first problem as {ok:false, field, error}. Only the fields the kind
 * and frequency use are sent: the server refuses a cooldown without "every", a bar without "once_per_bar".
 */
export function formToBody(v, now = Date.now()) {
  if (!isPanelKind(v.kind)) return fail('kind', `choose one of ${KINDS.join(', ')}`);
  const symbol = String(v.symbol ?? '').trim().toUpperCase();
  if (!symbol) return fail('symbol', 'choose a symbol');
  const body = { kind: v.kind, symbol };
  if (v.kind === 'change_pct') {
    const percent = String(v.percent ?? '').trim().replace(/^\+/, '');
    const size = percent.replace(/^-/, '');
    if (!isDecimal(size) || compareDecimals(size, '0') === 0 || compareDecimals(size, '1000') > 0) {
      return fail('percent', 'a signed percent, not 0, at most 1000: 2.5 up, -3 down');
    }
    const window = parseDuration(v.window);
    if (window === null || window < MIN_WINDOW || window > MAX_WINDOW) return fail('window', '1m to 24h, e.g. 15m');
    body.percent = (percent.startsWith('-') ? '-' : '') + normalizeDecimal(size);
    body.window = window;
  } else {
    const level = String(v.level ?? '').trim();
    if (!isDecimal(level) || compareDecimals(level, '0') <= 0) return fail('level', 'a price above zero: 50000.5');
    body.level = normalizeDecimal(level);
  }
  const frequency = v.frequency || 'once';
  if (!FREQUENCIES.includes(frequency)) return fail('frequency', `one of ${FREQUENCIES.join(', ')}`);
  body.frequency = frequency;
  if (frequency === 'every') {
    const cooldown = parseDuration(v.cooldown || '1m');
    if (cooldown === null || cooldown < 1_000) return fail('cooldown', 'at least 1s, e.g. 30s or 5m');
    body.cooldown = cooldown;
  } else if (frequency === 'once_per_bar') {
    body.bar = v.bar || '1m';
  }
  const expiresText = String(v.expires ?? '').trim();
  if (expiresText) {
    const expires = localToEpoch(expiresText);
    if (expires === null || expires <= now) return fail('expires', 'a time in the future, or empty for never');
    body.expires = expires;
  } else {
    body.expires = null;
  }
  const note = String(v.note ?? '').trim();
  if (note.length > MAX_NOTE) return fail('note', `at most ${MAX_NOTE} characters`);
  body.note = note || null;
  if (!SOUNDS.includes(v.sound || 'beep')) return fail('sound', `one of ${SOUNDS.join(', ')}`);
  body.sound = v.sound || 'beep';
  body.paused = Boolean(v.paused);
  return { ok: true, body };
}

/** A stored alert → the form's texts (for editing; formToBody reads them back to the same alert). */
export function alertToForm(a) {
  return {
    kind: a.kind, symbol: a.symbol, level: a.level ?? '', percent: a.percent ?? '',
    window: a.window ? formatDuration(a.window) : '15m', frequency: a.frequency ?? 'once',
    cooldown: formatDuration(a.cooldown ?? 60_000), bar: a.bar ?? '1m', expires: epochToLocal(a.expires),
    note: a.note ?? '', sound: a.sound ?? 'beep', paused: Boolean(a.paused),
  };
}

/** The field a 400 names: "parameter level: must be…" (ApiError) or "level must be…" → "level"; null if none. */
export function errorField(message) {
  const m = /^(?:parameter\s+)?([a-z]+)\b/i.exec(String(message ?? ''));
  return m && m[1] !== 'parameter' ? m[1] : null;
}

/** The body of a PUT that only pauses or resumes a stored alert (everything else as it is). */
export function pauseBody(a, paused) {
  const r = formToBody({ ...alertToForm(a), paused }, -Infinity); // an expiry already past is the server's to judge
  // the exact expiry, not the form's minute; the server ignores the read-only fields of the fallback
  return r.ok ? { ...r.body, expires: a.expires ?? null } : { ...a, paused };
}
