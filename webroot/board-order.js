// The board's order and filter, pure so node tests can check them: exact decimal comparison, as the server sorts.

import { compareDecimals } from './decimal.js';

/** Like compareDecimals, for signed decimals (a change can be negative). */
export function compareSigned(a, b) {
  const na = a.startsWith('-');
  const nb = b.startsWith('-');
  if (na !== nb) return na ? -1 : 1;
  return na ? compareDecimals(b.slice(1), a.slice(1)) : compareDecimals(a, b);
}

export const SORTS = ['volume', 'change', 'symbol'];

/** Change % and quote volume descending, symbol ascending; ties by symbol. */
export function compareRows(sort) {
  return (a, b) => {
    const bySymbol = a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
    if (sort === 'change') return compareSigned(b.changePercent, a.changePercent) || bySymbol;
    if (sort === 'volume') return compareDecimals(b.quoteVolume, a.quoteVolume) || bySymbol;
    return bySymbol;
  };
}

/** Rows of the quote asset (all when empty) whose symbol or base asset contains the search words. */
export function filterRows(rows, { quote = '', search = '' } = {}) {
  const words = search.trim().toUpperCase();
  return rows.filter((r) => (!quote || r.quoteAsset === quote)
    && (!words || r.symbol.includes(words) || (r.baseAsset ?? '').includes(words)));
}

/** The quote assets of the rows, most markets first. */
export function quoteAssets(rows) {
  const counts = new Map();
  for (const r of rows) {
    if (r.quoteAsset) counts.set(r.quoteAsset, (counts.get(r.quoteAsset) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([q]) => q);
}

/** Whether an update should replace the row held: only a later exchange time does, as on the server. */
export function isNewer(update, held) {
  return !held || update.time > held.time;
}
