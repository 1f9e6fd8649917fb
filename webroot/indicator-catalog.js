// The indicators the page offers, their parameters and how each is named: in /api/indicators queries, in the
// settings the server keeps, and in the live address market.indicator.<S>.<i>.<name>:<params>. Pure: no DOM.

export const CATALOG = Object.freeze([
  { name: 'sma', label: 'SMA', params: ['period'], defaults: { period: 20 }, own: false, fields: ['value'] },
  { name: 'ema', label: 'EMA', params: ['period'], defaults: { period: 50 }, own: false, fields: ['value'] },
  { name: 'bb', label: 'BB', params: ['period', 'k'], defaults: { period: 20, k: '2' }, own: false,
    fields: ['middle', 'upper', 'lower'] },
  { name: 'rsi', label: 'RSI', params: ['period'], defaults: { period: 14 }, own: true, fields: ['value'] },
  { name: 'macd', label: 'MACD', params: ['fast', 'slow', 'signal'], defaults: { fast: 12, slow: 26, signal: 9 },
    own: true, fields: ['macd', 'signal', 'histogram'] },
]);

export function entry(name) {
  return CATALOG.find((e) => e.name === name);
}

// The decimal as the server writes it: no trailing zeros, no trailing point ("2.50" -> "2.5", "2.0" -> "2").
function plain(value) {
  const s = String(value).trim();
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** 'rsi:14', 'bb:20,2.5', 'macd:12,26,9': the server's IndicatorSpec.key() of a settings entry. */
export function keyOf(indicator) {
  const e = entry(indicator.name);
  return `${e.name}:${e.params.map((p) => plain(indicator[p] ?? e.defaults[p])).join(',')}`;
}

/** The query string's indicator part: name=bb&period=20&k=2. */
export function queryOf(indicator) {
  const e = entry(indicator.name);
  const q = new URLSearchParams({ name: e.name });
  e.params.forEach((p) => q.set(p, String(indicator[p] ?? e.defaults[p])));
  return q.toString();
}

/** The parameters as the trader types them: "14", "20,2", "12,26,9". */
export function paramsText(indicator) {
  return keyOf(indicator).split(':')[1];
}

/** A settings entry from the name and the typed parameters; throws naming the problem. */
export function fromText(name, text) {
  const e = entry(name);
  const parts = String(text).split(',').map((p) => p.trim());
  if (parts.length !== e.params.length || parts.some((p) => p === '')) {
    throw new Error(`${e.label} needs ${e.params.join(', ')}`);
  }
  const out = { name };
  e.params.forEach((p, i) => {
    out[p] = p === 'k' ? parts[i] : Number(parts[i]);
    if (p !== 'k' && !Number.isInteger(out[p])) {
      throw new Error(`${e.label} ${p}: "${parts[i]}" is not a whole number`);
    }
  });
  return out;
}
