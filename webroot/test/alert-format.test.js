import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alertToForm, describeAlert, describeFiring, epochToLocal, errorField, formatDuration, formToBody, groupDigits, isPanelKind,
  localToEpoch, parseDuration, pauseBody,
} from '../alert-format.js';

test('durations as the server writes them, both ways', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration(' 15m '), 900_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('1d'), 86_400_000);
  assert.equal(parseDuration('90000'), 90_000);
  for (const bad of ['', '0m', '1.5h', '1w', 'm', '-5m', '15 m', null, undefined]) {
    assert.equal(parseDuration(bad), null, String(bad));
  }
  assert.equal(formatDuration(900_000), '15m');
  assert.equal(formatDuration(90_000), '90s');
  assert.equal(formatDuration(86_400_000), '1d');
  assert.equal(formatDuration(5_400_000), '90m');
  for (const ms of [1_000, 60_000, 61_000, 3_600_000, 7_200_000, 86_400_000]) {
    assert.equal(parseDuration(formatDuration(ms)), ms);
  }
});

test('describes an alert in a line', () => {
  assert.equal(groupDigits('50000.5'), '50 000.5');
  assert.equal(groupDigits('1234567'), '1 234 567');
  assert.equal(groupDigits('4999.125'), '4999.125');
  assert.equal(groupDigits('0.00012'), '0.00012');
  assert.equal(describeAlert({ kind: 'crossing_up', level: '50000.5', frequency: 'every', cooldown: 300_000 }),
    'crosses above 50 000.5 · every 5m');
  assert.equal(describeAlert({ kind: 'crossing_down', level: '3000', frequency: 'once' }), 'crosses below 3000 · once');
  assert.equal(describeAlert({ kind: 'price_above', level: '100000', frequency: 'once_per_bar', bar: '1h' }),
    'at or above 100 000 · once per 1h bar');
  assert.equal(describeAlert({ kind: 'price_below', level: '2', frequency: 'once' }), 'at or below 2 · once');
  assert.equal(describeAlert({ kind: 'change_pct', percent: '-2.5', window: 900_000, frequency: 'once' }),
    'moves −2.5% in 15m · once');
  assert.equal(describeAlert({ kind: 'change_pct', percent: '3', window: 3_600_000, frequency: 'once' }),
    'moves +3% in 1h · once');
});

test('only the new kinds belong to the panel', () => {
  assert.ok(isPanelKind('change_pct'));
  assert.ok(!isPanelKind('minimum'));
  assert.ok(!isPanelKind(undefined));
  assert.ok(!isPanelKind('rsi'));
});

const NOW = Date.UTC(2026, 11, 7, 12, 0);
const form = (over) => ({
  kind: 'crossing_up', symbol: 'btcusdt', level: '050000.50', percent: '', window: '15m', frequency: 'once',
  cooldown: '1m', bar: '1m', expires: '', note: '', sound: 'beep', ...over,
});

test('a level alert becomes the body the server takes, with only the fields its frequency uses', () => {
  assert.deepEqual(formToBody(form({ note: '  breakout  ' }), NOW), { ok: true, body: {
    kind: 'crossing_up', symbol: 'BTCUSDT', level: '50000.5', frequency: 'once', expires: null, note: 'breakout',
    sound: 'beep', paused: false,
  } });
  const every = formToBody(form({ frequency: 'every', cooldown: '5m', bar: '1h' }), NOW).body;
  assert.equal(every.cooldown, 300_000);
  assert.ok(!('bar' in every));
  const perBar = formToBody(form({ frequency: 'once_per_bar', bar: '1h' }), NOW).body;
  assert.equal(perBar.bar, '1h');
  assert.ok(!('cooldown' in perBar));
  assert.ok(!('percent' in perBar) && !('window' in perBar));
});

test('a change_pct alert keeps its sign and sends its window in ms, no level', () => {
  const { body } = formToBody(form({ kind: 'change_pct', level: '1', percent: '-02.50', window: '1h' }), NOW);
  assert.equal(body.percent, '-2.5');
  assert.equal(body.window, 3_600_000);
  assert.ok(!('level' in body));
  assert.equal(formToBody(form({ kind: 'change_pct', percent: '+3' }), NOW).body.percent, '3');
});

test('each bad field is named', () => {
  const field = (over) => formToBody(form(over), NOW).field;
  assert.equal(field({ kind: 'minimum' }), 'kind');
  assert.equal(field({ symbol: ' ' }), 'symbol');
  for (const level of ['', '0', '-1', '1e3', '50,000']) assert.equal(field({ level }), 'level', level);
  for (const percent of ['', '0', '-0.0', '1001', 'x']) assert.equal(field({ kind: 'change_pct', percent }), 'percent');
  for (const window of ['30s', '25h', '', 'soon']) {
    assert.equal(field({ kind: 'change_pct', percent: '2', window }), 'window', window);
  }
  assert.equal(field({ frequency: 'twice' }), 'frequency');
  assert.equal(field({ frequency: 'every', cooldown: '500' }), 'cooldown');
  assert.equal(field({ expires: 'tomorrow' }), 'expires');
  assert.equal(field({ expires: epochToLocal(NOW - 60_000) }), 'expires');
  assert.equal(field({ note: 'x'.repeat(251) }), 'note');
  assert.equal(formToBody(form({ note: 'x'.repeat(250) }), NOW).ok, true);
  assert.equal(field({ sound: 'siren' }), 'sound');
});

test('datetime-local is the browser zone; the body carries epoch ms', () => {
  assert.equal(localToEpoch('2026-12-31T23:30'), new Date(2026, 11, 31, 23, 30).getTime());
  assert.equal(localToEpoch(''), null);
  assert.equal(localToEpoch('31/12/2026'), null);
  const at = new Date(2027, 0, 2, 3, 4).getTime();
  assert.equal(epochToLocal(at), '2027-01-02T03:04');
  assert.equal(localToEpoch(epochToLocal(at)), at);
  assert.equal(epochToLocal(null), '');
  assert.equal(formToBody(form({ expires: '2027-01-02T03:04' }), NOW).body.expires, at);
});

test('a stored alert fills the form and reads back to the same alert', () => {
  const stored = { id: 13, kind: 'change_pct', symbol: 'ETHUSDT', percent: '-2.5', window: 900_000, frequency: 'every',
    cooldown: 90_000, expires: new Date(2027, 0, 2, 3, 4).getTime(), note: 'dip', sound: 'chime', paused: true,
    state: 'paused', lastFired: null, created: NOW };
  const { body } = formToBody(alertToForm(stored), NOW);
  assert.deepEqual(body, { kind: 'change_pct', symbol: 'ETHUSDT', percent: '-2.5', window: 900_000, frequency: 'every',
    cooldown: 90_000, expires: stored.expires, note: 'dip', sound: 'chime', paused: true });
});

test('pausing sends the alert as it is, its exact expiry included', () => {
  const stored = { id: 7, kind: 'price_below', symbol: 'BTCUSDT', level: '42000', frequency: 'once_per_bar', bar: '4h',
    expires: NOW - 12_345, note: null, sound: 'none', paused: false, state: 'expired' };
  assert.deepEqual(pauseBody(stored, true), { kind: 'price_below', symbol: 'BTCUSDT', level: '42000',
    frequency: 'once_per_bar', bar: '4h', expires: NOW - 12_345, note: null, sound: 'none', paused: true });
});

test('the field a 400 names', () => {
  assert.equal(errorField('parameter level: must be a positive decimal string'), 'level');
  assert.equal(errorField('note must be a string of at most 250 characters'), 'note');
  assert.equal(errorField(''), null);
  assert.equal(errorField(undefined), null);
});

test('a firing says what it met', () => {
  assert.equal(describeFiring({ kind: 'crossing_up', level: '50000.5', price: '50001' }), 'crosses above 50 000.5');
  assert.equal(describeFiring({ kind: 'change_pct', percent: '-2.5', reference: '51000' }), 'moves −2.5% from 51 000');
  assert.equal(describeFiring({ kind: 'price_below' }), 'at or below');
});
