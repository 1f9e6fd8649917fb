// Exact comparisons of decimal strings. Prices travel as strings ("50405.91") precisely so that nothing on the way
// rounds them; comparing them as JavaScript numbers would undo that near the boundary.

const PLAIN = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/;

/** True for a plain non-negative decimal such as "49000", "0.00012", "49000.", ".5". */
export function isDecimal(text) {
  return typeof text === 'string' && PLAIN.test(text);
}

function parts(text) {
  const m = PLAIN.exec(text);
  if (!m) {
    throw new Error(`not a decimal: ${text}`);
  }
  const whole = (m[1] ?? '0').replace(/^0+(?=\d)/, '');
  const fraction = (m[2] ?? m[3] ?? '').replace(/0+$/, '');
  return { whole, fraction };
}

/** The canonical form: no leading zeros, no trailing fractional zeros, no dangling dot ("049000.50" → "49000.5"). */
export function normalizeDecimal(text) {
  const { whole, fraction } = parts(text);
  return fraction ? `${whole}.${fraction}` : whole;
}

/** -1, 0 or 1 as a is below, equal to or above b, exactly. */
export function compareDecimals(a, b) {
  const x = parts(a);
  const y = parts(b);
  if (x.whole.length !== y.whole.length) {
    return x.whole.length < y.whole.length ? -1 : 1;
  }
  if (x.whole !== y.whole) {
    return x.whole < y.whole ? -1 : 1;
  }
  const width = Math.max(x.fraction.length, y.fraction.length);
  const fx = x.fraction.padEnd(width, '0');
  const fy = y.fraction.padEnd(width, '0');
  if (fx === fy) {
    return 0;
  }
  return fx < fy ? -1 : 1;
}

/** Digits after the dot, ignoring trailing zeros. */
export function decimalPlaces(text) {
  return isDecimal(text) ? parts(text).fraction.length : 0;
}

function scaled(text, places) {
  const { whole, fraction } = parts(text);
  return BigInt(whole + fraction.padEnd(places, '0'));
}

function unscaled(value, places) {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const text = places === 0 ? whole : normalizeDecimal(`${whole}.${digits.slice(digits.length - places)}`);
  return negative ? `-${text}` : text;
}

/** a + b, exactly ("0.1" + "0.2" is "0.3"). */
export function addDecimals(a, b) {
  const places = Math.max(decimalPlaces(a), decimalPlaces(b));
  return unscaled(scaled(a, places) + scaled(b, places), places);
}

/** a − b, exactly; negative results carry a leading "-". */
export function subtractDecimals(a, b) {
  const places = Math.max(decimalPlaces(a), decimalPlaces(b));
  return unscaled(scaled(a, places) - scaled(b, places), places);
}
