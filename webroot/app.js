// The candlebus page: wires the API, the bridge, the charts, the minimum-price box, the alert boxes, the markets
// view and the status lights together. Everything that decides something lives in the modules it imports.

import * as api from './api.js';
import { isPanelKind } from './alert-format.js';
import { MinimumPriceBox } from './alerts.js';
import { AlertsPanel } from './alerts-panel.js';
import { Bridge } from './bridge.js';
import { CandleChart } from './candle-chart.js';
import { compareDecimals } from './decimal.js';
import { DepthPanel } from './depth-panel.js';
import { Indicators } from './indicators.js';
import { MarketsPanel } from './markets.js';
import { RsiAlertBox } from './rsi-alerts.js';
import { TickerBoard } from './ticker-board.js';
import { beep, beepCount, soundCounts, unlockAudioOnFirstGesture } from './sound.js';
import { StatusLights, upstreamFromReadiness } from './status.js';
import { TradeChart } from './trade-chart.js';
import { byTestId, toast } from './ui.js';
import { Watchlist } from './watchlist.js';
import { zoneName } from './zone.js';

const HISTORY = 500; // candles loaded when a series is shown
const PAGE = 1000; // the API's largest page
const GAP_PAGES = 20; // a reconnect fills at most this many pages; beyond that the series is loaded afresh

const state = {
  username: null,
  symbols: [],
  intervals: [],
  symbol: null,
  interval: null,
  lastTrade: null, // {tradeId|null, time, price}
  historyLoaded: false,
  generation: 0, // bumped on every symbol or interval change: late answers for an old view are dropped
  tradeSubscription: () => {},
  candleSubscription: () => {},
  olderLoading: false,
  olderExhausted: false,
};

let bridge;
let lights;
let candleChart;
let tradeChart;
let minimumBox;
let watchlist;
let depthPanel;
let marketsPanel;
let board;
let indicators;
let rsiBox;
let alertsPanel;
let settings = {}; // the user's chart settings as the server keeps them
const CARRY_WAIT_MS = 30_000;

async function boot() {
  unlockAudioOnFirstGesture();
  const session = await api.session();
  state.username = session.username;
  const [symbols, intervals] = await Promise.all([api.getJson('/api/symbols'), api.getJson('/api/intervals')]);
  state.symbols = symbols;
  state.intervals = intervals;
  settings = await api.getJson('/api/settings').catch((e) => {
    console.warn('settings', e);
    return {};
  });
  buildParts();
  indicators.setEnabled(settings.indicators);
  exposeHooks();
  fillSelectors();
  await minimumBox.load().catch((e) => toast(`Alerts unavailable: ${e.message}`, 'error'));
  await rsiBox.load().catch((e) => toast(`RSI alerts unavailable: ${e.message}`, 'error'));
  await alertsPanel.load().catch((e) => toast(`Alerts panel unavailable: ${e.message}`, 'error'));
  const [symbol, interval] = initialView();
  await showSymbol(symbol, interval);
  marketsPanel = new MarketsPanel({
    details: document.querySelector('.markets'), count: byTestId('markets-new-count'),
    filter: document.querySelector('.markets-filter'), rows: document.querySelector('.markets-rows'),
    note: document.querySelector('.markets-note'),
  }, { carried: symbols.map((s) => s.symbol), onPick: pickSymbol });
  marketsPanel.load().then(() => board.refresh()); // NEW marks come with the markets
  board = new TickerBoard({
    panel: byTestId('ticker-board'), coverage: byTestId('board-coverage'), quote: byTestId('board-quote'),
    search: byTestId('board-search'), rows: byTestId('board-rows'),
    sortButtons: [...document.querySelectorAll('.board-sort button')],
  }, bridge, { onOpen: openMarket, isCarried, isNew: (s) => marketsPanel.isNew(s) });
  board.load();
}

function isCarried(symbol) {
  return state.symbols.some((s) => s.symbol === symbol);
}

// A market of the board: shown at once when carried; otherwise the gateway carries it first (with its history
// backfilled from Binance), and the chart opens once the first candles are stored.
async function openMarket(symbol) {
  if (isCarried(symbol)) {
    pickSymbol(symbol);
    return;
  }
  try {
    await api.postJson('/api/symbols', { symbol });
  } catch (e) {
    toast(`Cannot carry ${symbol}: ${e.message}`, 'error');
    return;
  }
  toast(`Carrying ${symbol}: fetching its history…`, 'info', 4000);
  const entry = { symbol, price: null };
  state.symbols.push(entry);
  byTestId('symbol-select').append(new Option(symbol, symbol));
  watchlist.add(entry);
  marketsPanel.carried(symbol);
  board.refresh();
  await historyArrived(symbol, state.interval);
  pickSymbol(symbol);
}

// The backfill runs in the background: wait (bounded) until the interval has stored candles.
async function historyArrived(symbol, interval) {
  const deadline = Date.now() + CARRY_WAIT_MS;
  while (Date.now() < deadline) {
    try {
      if ((await api.candles(symbol, interval, { limit: 2 })).length >= 2) {
        return;
      }
    } catch (e) {
      console.warn('history of a carried symbol', e);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function buildParts() {
  document.querySelector('.username').textContent = state.username;
  document.querySelector('.zone').textContent = zoneName();
  lights = new StatusLights(byTestId('upstream-status'), byTestId('bridge-status'));
  lights.bridge(false);
  refreshUpstream();
  candleChart = new CandleChart(document.querySelector('.candle-chart'), document.querySelector('.legend'));
  candleChart.onNearOldest(loadOlder);
  tradeChart = new TradeChart(document.querySelector('.trade-chart'));
  minimumBox = new MinimumPriceBox({
    box: byTestId('min-price-box'), input: byTestId('min-price-input'), state: document.querySelector('.alert-state'),
    error: document.querySelector('.alert-error'), list: document.querySelector('.alert-list'),
    mute: document.querySelector('.mute'),
  }, {
    onMinimum: (price) => {
      candleChart.setMinimum(price);
      tradeChart.setMinimum(price);
      state.symbols.forEach((s) => watchlist?.minimumChanged(s.symbol));
    },
    onPick: pickSymbol,
  });
  watchlist = new Watchlist(document.querySelector('.watch-list'), state.symbols, {
    minimumFor: (symbol) => minimumBox.minimumFor(symbol),
    onPick: pickSymbol,
  });
  bridge = new Bridge({ onOpen: bridgeOpened, onClose: bridgeClosed });
  indicators = new Indicators({ bar: byTestId('indicator-bar'), error: byTestId('indicator-error') }, candleChart,
    bridge, { onChange: saveIndicators });
  rsiBox = new RsiAlertBox({
    box: byTestId('rsi-alert-box'), what: document.querySelector('.rsi-what'), above: byTestId('rsi-above'),
    below: byTestId('rsi-below'), set: byTestId('rsi-set'), error: document.querySelector('.rsi-error'),
    list: byTestId('rsi-list'),
  });
  alertsPanel = new AlertsPanel(alertsPanelUi(), {
    onLines: (levels) => candleChart.setAlertLines(levels),
    onPick: pickSymbol,
  });
  depthPanel = new DepthPanel(byTestId('depth-panel'), bridge);
  bridge.subscribe('market.status', (s) => lights.upstream(s.state, s.reason));
  bridge.subscribe(`alerts.${state.username}`, alertFired);
  byTestId('logout').addEventListener('click', logout);
}

// The alerts panel's elements: each form field is data-testid alert-<field>.
function alertsPanelUi() {
  const fields = ['kind', 'symbol', 'level', 'percent', 'window', 'frequency', 'cooldown', 'bar', 'expires', 'note',
    'sound'];
  return {
    box: byTestId('alerts-panel'), list: byTestId('alerts-list'), count: byTestId('alerts-count'),
    banner: byTestId('alert-banner'), form: byTestId('alert-form'),
    ...Object.fromEntries(fields.map((f) => [f, byTestId(`alert-${f}`)])),
    noteCount: byTestId('alert-note-count'), trySound: byTestId('alert-sound-try'), save: byTestId('alert-save'),
    cancel: byTestId('alert-cancel'), error: byTestId('alert-error'),
    history: {
      list: byTestId('alert-history'), url: byTestId('webhook-url'), save: byTestId('webhook-save'),
      remove: byTestId('webhook-remove'), error: byTestId('webhook-error'), failed: byTestId('webhook-failed'),
    },
  };
}

function fillSelectors() {
  const symbolSelect = byTestId('symbol-select');
  const intervalSelect = byTestId('interval-select');
  symbolSelect.replaceChildren(...state.symbols.map((s) => new Option(s.symbol, s.symbol)));
  intervalSelect.replaceChildren(...state.intervals.map((i) => new Option(i, i)));
  symbolSelect.addEventListener('change', () => showSymbol(symbolSelect.value, state.interval));
  intervalSelect.addEventListener('change', () => showInterval(intervalSelect.value));
  addEventListener('hashchange', followAddress); // a bookmark or a typed #ETHUSDT/5m
}

function followAddress() {
  const [symbol, interval] = initialView();
  if (symbol !== state.symbol) {
    showSymbol(symbol, interval);
  } else if (interval !== state.interval) {
    showInterval(interval);
  }
}

// From the address (#ETHUSDT/5m, bookmarkable), else the saved settings (any device), else this browser's last
// visit, else the first carried.
function initialView() {
  const [hashSymbol, hashInterval] = decodeURIComponent(location.hash.slice(1)).split('/');
  const symbols = state.symbols.map((s) => s.symbol);
  const pick = (wanted, stored, options) => [wanted, stored].find((v) => options.includes(v)) ?? options[0];
  return [
    pick(hashSymbol, settings.symbol ?? localStorage.getItem('candlebus.symbol'), symbols),
    pick(hashInterval, settings.interval ?? localStorage.getItem('candlebus.interval'), state.intervals),
  ];
}

function remember() {
  localStorage.setItem('candlebus.symbol', state.symbol);
  localStorage.setItem('candlebus.interval', state.interval);
  history.replaceState(null, '', `#${state.symbol}/${state.interval}`);
  byTestId('symbol-select').value = state.symbol;
  byTestId('interval-select').value = state.interval;
  if (settings.symbol !== state.symbol || settings.interval !== state.interval) {
    saveSettings({ ...settings, symbol: state.symbol, interval: state.interval }).catch((e) => console.warn('settings', e));
  }
}

// Saves run one after another, each the whole settings object; the server answers them normalised.
let saving = Promise.resolve();

function saveSettings(next) {
  const run = saving.then(async () => {
    settings = await api.putJson('/api/settings', next);
    return settings;
  });
  saving = run.catch(() => {});
  return run;
}

async function saveIndicators(list) {
  const saved = await saveSettings({ ...settings, symbol: state.symbol, interval: state.interval, indicators: list });
  const rsi = (saved.indicators ?? []).find((i) => i.name === 'rsi');
  rsiBox.select(state.symbol, state.interval, rsi?.period ?? 14);
  return saved.indicators ?? [];
}

function pickSymbol(symbol) {
  if (symbol !== state.symbol) {
    showSymbol(symbol, state.interval);
  }
  window.scrollTo({ top: 0, behavior: 'smooth' });
}

async function showSymbol(symbol, interval) {
  state.tradeSubscription();
  state.symbol = symbol;
  state.lastTrade = null;
  showLastPrice(null);
  tradeChart.reset();
  document.querySelector('.quote-symbol').textContent = symbol;
  watchlist.select(symbol);
  minimumBox.select(symbol, null);
  alertsPanel.select(symbol);
  state.tradeSubscription = bridge.subscribe(`market.trade.${symbol}`, tradeArrived);
  seedLastPrice();
  depthPanel.show(symbol);
  await showInterval(interval);
}

async function showInterval(interval) {
  const generation = ++state.generation;
  state.candleSubscription();
  state.interval = interval;
  state.historyLoaded = false;
  state.olderLoading = false;
  state.olderExhausted = false;
  remember();
  candleChart.reset(`${state.symbol} · ${interval}`);
  const { symbol } = state;
  indicators.show(symbol, interval);
  rsiBox.select(symbol, interval, indicators.rsiPeriod());
  // subscribe before fetching: the book merges both, so nothing between the two is lost
  state.candleSubscription = bridge.subscribe(`market.candle.${symbol}.${interval}`, (c) => {
    if (c.symbol === symbol && c.interval === interval) {
      candleArrived(generation, c);
    }
  });
  await loadHistory(generation, symbol, interval);
}

function candleArrived(generation, candle) {
  const previous = candleChart.last();
  candleChart.apply(candle);
  if (previous && !previous.closed && candle.openTime > previous.openTime) {
    // a slow page gets only the newest candle per series: the close of the previous window may have been skipped
    refreshWindow(generation, previous.openTime);
  }
}

async function refreshWindow(generation, openTime) {
  try {
    const candles = await api.candles(state.symbol, state.interval, { startTime: openTime, limit: 2 });
    if (generation === state.generation) {
      candleChart.merge(candles);
    }
  } catch (e) {
    console.warn('candle refresh', e);
  }
}

async function loadHistory(generation, symbol, interval, attempt = 0) {
  try {
    const candles = await api.candles(symbol, interval, { limit: HISTORY });
    if (generation === state.generation) {
      candleChart.merge(candles, { first: true });
      state.historyLoaded = true;
    }
  } catch (e) {
    if (generation !== state.generation || e.status === 401) {
      return;
    }
    toast(`History for ${symbol} ${interval} unavailable (${e.message}); retrying`, 'error', 4000);
    const delay = Math.min(30_000, 2000 * 2 ** attempt);
    setTimeout(() => loadHistory(generation, symbol, interval, attempt + 1), delay);
  }
}

// Scrolling back to the oldest candle brings the page before it.
async function loadOlder(oldestOpenTime) {
  if (state.olderLoading || state.olderExhausted || !state.historyLoaded) {
    return;
  }
  const generation = state.generation;
  state.olderLoading = true;
  try {
    const older = await api.candles(state.symbol, state.interval, { endTime: oldestOpenTime - 1, limit: HISTORY });
    if (generation === state.generation) {
      state.olderExhausted = older.length === 0 || candleChart.merge(older) === 0;
    }
  } catch (e) {
    console.warn('older candles', e);
  } finally {
    if (generation === state.generation) {
      state.olderLoading = false;
    }
  }
}

// After a dropped connection: every candle from the newest one the chart has up to now, page by page.
async function fillGap() {
  const generation = state.generation;
  const { symbol, interval } = state;
  let from = candleChart.last()?.openTime;
  if (from === undefined) {
    return loadHistory(generation, symbol, interval);
  }
  for (let page = 0; page < GAP_PAGES; page++) {
    const candles = await api.candles(symbol, interval, { startTime: from, limit: PAGE });
    if (generation !== state.generation) {
      return undefined;
    }
    candleChart.merge(candles);
    if (candles.length < PAGE) {
      return undefined;
    }
    from = candles[candles.length - 1].openTime;
  }
  return showInterval(interval); // longer than GAP_PAGES pages away: start afresh
}

function tradeArrived(trade) {
  if (trade.missed !== undefined) {
    showMissed(trade.missed);
    return;
  }
  if (trade.symbol !== state.symbol || !isNewer(trade, state.lastTrade)) {
    return;
  }
  state.lastTrade = { tradeId: trade.tradeId, time: trade.time, price: trade.price };
  showLastPrice(trade.price);
  tradeChart.add(trade);
  minimumBox.price(trade.price);
  watchlist.price(trade.symbol, trade.price);
}

function isNewer(trade, last) {
  if (!last) {
    return true;
  }
  return last.tradeId === null ? trade.time >= last.time : trade.tradeId > last.tradeId;
}

// The price /api/symbols knows, until (or unless) a newer trade comes over the bridge.
async function seedLastPrice() {
  const symbol = state.symbol;
  try {
    const known = (await api.getJson('/api/symbols')).find((s) => s.symbol === symbol);
    if (symbol !== state.symbol || !known?.price || (state.lastTrade && state.lastTrade.time >= known.time)) {
      return;
    }
    state.lastTrade = { tradeId: null, time: known.time, price: known.price };
    showLastPrice(known.price);
    tradeChart.add(known);
    minimumBox.price(known.price);
  } catch (e) {
    console.warn('symbols', e);
  }
}

function showLastPrice(price) {
  const el = byTestId('last-price');
  const previous = el.dataset.price;
  el.textContent = price ?? '—';
  el.dataset.price = price ?? '';
  if (price && previous) {
    const direction = compareDecimals(price, previous);
    if (direction !== 0) {
      el.dataset.tick = direction > 0 ? 'up' : 'down';
    }
  }
  document.title = price ? `${price} ${state.symbol} · candlebus` : 'candlebus';
}

let missedTimer = null;

function showMissed(count) {
  const hint = document.querySelector('.missed');
  hint.textContent = `${count} trades skipped: slow connection`;
  hint.hidden = false;
  clearTimeout(missedTimer);
  missedTimer = setTimeout(() => { hint.hidden = true; }, 4000);
}

function alertFired(a) {
  if (a.kind === 'rsi') {
    rsiBox.fired(a);
    return;
  }
  if (isPanelKind(a.kind) || a.kind === 'webhook') {
    alertsPanel.fired(a);
    return;
  }
  const verb = a.state === 'above' ? 'is at or above' : 'fell below';
  toast(`${a.symbol} ${verb} your minimum ${a.price} (last ${a.lastPrice})`, a.state === 'above' ? 'good' : 'warn');
  if (a.symbol !== state.symbol && a.state === 'above') {
    beep(); // the selected symbol beeps from its own live price
  }
}

function bridgeOpened(reconnected) {
  lights.bridge(true);
  refreshUpstream();
  if (reconnected) {
    fillGap().catch((e) => console.warn('gap fill', e));
    indicators.show(state.symbol, state.interval); // what was computed while away
    seedLastPrice();
    minimumBox.load().catch((e) => console.warn('alerts', e));
    rsiBox.load().catch((e) => console.warn('rsi alerts', e));
    alertsPanel.load().catch((e) => console.warn('alerts panel', e));
  }
}

let checkingSession = false;

async function bridgeClosed() {
  lights.bridge(false);
  if (checkingSession) {
    return;
  }
  checkingSession = true;
  // the bridge refuses a logged-out browser over and over: notice it and go to the login page
  if (!(await api.sessionAlive())) {
    bridge.close();
    api.goToLogin();
  }
  checkingSession = false;
}

async function refreshUpstream() {
  try {
    const { state: upstream, detail } = upstreamFromReadiness(await api.readiness());
    lights.upstream(upstream, detail);
  } catch {
    lights.upstream('UNKNOWN', 'the server did not answer');
  }
}

async function logout() {
  byTestId('logout').disabled = true;
  try {
    await api.logout();
  } catch (e) {
    console.warn('logout', e);
  }
  bridge.close();
  location.assign('/login');
}

// For the browser tests and for curious traders with a console open.
function exposeHooks() {
  window.candlebus = Object.freeze({
    candles: () => candleChart.candles(),
    ignoredCandles: () => candleChart.ignored(),
    bridgeOpen: () => bridge.open,
    lastPrice: () => state.lastTrade?.price ?? null,
    symbol: () => state.symbol,
    interval: () => state.interval,
    historyLoaded: () => state.historyLoaded,
    minimum: () => minimumBox.minimum(),
    beeps: () => beepCount(),
    boardShown: () => board?.shown() ?? [],
    boardSize: () => board?.size() ?? 0,
    carried: () => state.symbols.map((s) => s.symbol),
    indicatorKeys: () => indicators.keys(),
    indicatorValues: (key) => indicators.values(key),
    indicatorDrawn: (key) => indicators.drawn(key),
    rsiFirings: () => rsiBox.firings(),
    alerts: () => alertsPanel.alerts(),
    alertFirings: () => alertsPanel.firings(),
    alertHistory: () => alertsPanel.history(),
    alertLines: () => candleChart.alertLines(),
    sounds: () => soundCounts(),
    settings: () => settings,
  });
}

boot().catch((e) => {
  if (e.status !== 401) {
    console.error(e);
    const banner = document.querySelector('.fatal');
    banner.textContent = `The page could not start: ${e.message}. Reload to try again.`;
    banner.hidden = false;
  }
});
