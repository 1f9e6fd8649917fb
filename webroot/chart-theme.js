// Options shared by both charts: a dark theme, local-time labels, and TradingView's attribution logo (its
// licence asks for a link to tradingview.com on the page).

/* global LightweightCharts */
import { formatLocal } from './zone.js';

export const COLORS = Object.freeze({
  background: '#0f131a',
  text: '#9aa4b5',
  grid: 'rgba(42, 50, 64, 0.55)',
  border: '#232a36',
  up: '#16c784',
  down: '#ea3943',
  upVolume: 'rgba(22, 199, 132, 0.45)',
  downVolume: 'rgba(234, 57, 67, 0.45)',
  line: '#4c8dff',
  minimum: '#f0b90b',
  alertUp: '#16c784',
  alertDown: '#ea3943',
});

/** zone() returns the chart's current ZoneShift: labels are formatted from the real instant. */
export function chartOptions(zone, { seconds = false } = {}) {
  return {
    autoSize: true,
    layout: {
      background: { type: 'solid', color: COLORS.background },
      textColor: COLORS.text,
      fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      attributionLogo: true,
      panes: { separatorColor: COLORS.border, separatorHoverColor: 'rgba(76, 141, 255, 0.25)' },
    },
    grid: {
      vertLines: { color: COLORS.grid },
      horzLines: { color: COLORS.grid },
    },
    crosshair: { mode: LightweightCharts.CrosshairMode.Normal },
    rightPriceScale: { borderColor: COLORS.border },
    timeScale: { borderColor: COLORS.border, timeVisible: true, secondsVisible: seconds, rightOffset: 4 },
    localization: { timeFormatter: (time) => formatLocal(zone().toUtcMs(time)) },
  };
}

/** Price format with as many places as the symbol's prices use (2 to 8). */
export function priceFormat(places) {
  const precision = Math.min(8, Math.max(2, places));
  return { type: 'price', precision, minMove: 10 ** -precision };
}

export function minimumLine(price) {
  return {
    price: Number(price),
    color: COLORS.minimum,
    lineWidth: 1,
    lineStyle: LightweightCharts.LineStyle.Dashed,
    axisLabelVisible: true,
    title: 'min',
  };
}

const UPWARD = new Set(['price_above', 'crossing_up']);

/** An alert's level (issue 13): green for the kinds that watch from below, red for those from above; dotted, so
 * it does not read as the minimum's dashed line. */
export function alertLine(level, kind) {
  return {
    price: Number(level),
    color: UPWARD.has(kind) ? COLORS.alertUp : COLORS.alertDown,
    lineWidth: 1,
    lineStyle: LightweightCharts.LineStyle.Dotted,
    axisLabelVisible: true,
    title: UPWARD.has(kind) ? '▲ alert' : '▼ alert',
  };
}
