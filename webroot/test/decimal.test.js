import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDecimals, compareDecimals, decimalPlaces, isDecimal, normalizeDecimal, subtractDecimals,
} from '../decimal.js';

test('compares exactly where binary floating point cannot', () => {
  assert.equal(compareDecimals('0.30000000000000001', '0.3'), 1);
  assert.equal(compareDecimals('9007199254740993', '9007199254740992'), 1);
  assert.equal(compareDecimals('50405.91', '50405.910'), 0);
  assert.equal(compareDecimals('49999.99', '50000'), -1);
  assert.equal(compareDecimals('100', '99.999999'), 1);
  assert.equal(compareDecimals('0.00012', '0.000119'), 1);
  assert.equal(compareDecimals('007', '7.0'), 0);
  assert.equal(compareDecimals('.5', '0.49'), 1);
});

test('accepts only plain non-negative decimals', () => {
  for (const ok of ['0', '49000', '49000.', '.5', '0.00012']) {
    assert.ok(isDecimal(ok), ok);
  }
  for (const bad of ['', ' 1', '-1', '1e3', '1,5', '49 000', 'abc', '.', null, undefined, 5]) {
    assert.ok(!isDecimal(bad), String(bad));
  }
  assert.throws(() => compareDecimals('1e3', '1'));
});

test('normalizes and counts places', () => {
  assert.equal(normalizeDecimal('049000.50'), '49000.5');
  assert.equal(normalizeDecimal('49000.'), '49000');
  assert.equal(normalizeDecimal('.5'), '0.5');
  assert.equal(normalizeDecimal('0000'), '0');
  assert.equal(decimalPlaces('50405.910'), 2);
  assert.equal(decimalPlaces('3'), 0);
});

test('adds and subtracts exactly, for cumulative sizes and the spread', () => {
  assert.equal(addDecimals('0.1', '0.2'), '0.3');
  assert.equal(addDecimals('0.00012', '3'), '3.00012');
  assert.equal(addDecimals('9007199254740993', '1'), '9007199254740994');
  assert.equal(addDecimals('1.5', '2.5'), '4');
  assert.equal(subtractDecimals('50000.1', '49999.99'), '0.11');
  assert.equal(subtractDecimals('1', '1.000'), '0');
  assert.equal(subtractDecimals('1', '1.25'), '-0.25');
  assert.equal(subtractDecimals('0.01', '0.001'), '0.009');
});
