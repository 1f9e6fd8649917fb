import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromText, keyOf, paramsText, queryOf } from '../indicator-catalog.js';

test('keys are written as the server writes them, so the live address is the one the bridge allows', () => {
  assert.equal(keyOf({ name: 'rsi', period: 14 }), 'rsi:14');
  assert.equal(keyOf({ name: 'bb', period: 20, k: '2.50' }), 'bb:20,2.5');
  assert.equal(keyOf({ name: 'bb', period: 20, k: '2.0' }), 'bb:20,2');
  assert.equal(keyOf({ name: 'bb', period: 20, k: '20' }), 'bb:20,20');
  assert.equal(keyOf({ name: 'macd', fast: 12, slow: 26, signal: 9 }), 'macd:12,26,9');
  assert.equal(keyOf({ name: 'ema' }), 'ema:50'); // defaults fill what is missing
});

test('queries name every parameter', () => {
  assert.equal(queryOf({ name: 'bb', period: 20, k: '2' }), 'name=bb&period=20&k=2');
  assert.equal(queryOf({ name: 'macd', fast: 5, slow: 35, signal: 5 }), 'name=macd&fast=5&slow=35&signal=5');
});

test('typed parameters become a settings entry, or an error naming what is wrong', () => {
  assert.deepEqual(fromText('rsi', ' 21 '), { name: 'rsi', period: 21 });
  assert.deepEqual(fromText('bb', '20, 2.5'), { name: 'bb', period: 20, k: '2.5' });
  assert.equal(paramsText(fromText('macd', '12,26,9')), '12,26,9');
  assert.throws(() => fromText('macd', '12,26'), /MACD needs fast, slow, signal/);
  assert.throws(() => fromText('sma', 'x'), /SMA period: "x" is not a whole number/);
  assert.throws(() => fromText('rsi', ''), /RSI needs period/);
});
