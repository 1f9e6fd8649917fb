import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRows, compareSigned, filterRows, isNewer, quoteAssets } from '../board-order.js';

const rows = [
  { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', changePercent: '1.5', quoteVolume: '900000000.5' },
  { symbol: 'ETHBTC', baseAsset: 'ETH', quoteAsset: 'BTC', changePercent: '-0.25', quoteVolume: '1200.75' },
  { symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', changePercent: '12.001', quoteVolume: '900000000.49' },
];

test('sorts by change and quote volume descending, exactly, and by symbol ascending', () => {
  assert.deepEqual([...rows].sort(compareRows('change')).map((r) => r.symbol), ['ETHUSDT', 'BTCUSDT', 'ETHBTC']);
  // 900000000.5 > 900000000.49: a float comparison would agree here, but not for longer decimals
  assert.deepEqual([...rows].sort(compareRows('volume')).map((r) => r.symbol), ['BTCUSDT', 'ETHUSDT', 'ETHBTC']);
  assert.deepEqual([...rows].sort(compareRows('symbol')).map((r) => r.symbol), ['BTCUSDT', 'ETHBTC', 'ETHUSDT']);
});

test('filters by quote asset and by search words in the symbol or base asset', () => {
  assert.deepEqual(filterRows(rows, { quote: 'USDT' }).map((r) => r.symbol), ['BTCUSDT', 'ETHUSDT']);
  assert.deepEqual(filterRows(rows, { search: 'eth' }).map((r) => r.symbol), ['ETHBTC', 'ETHUSDT']);
  assert.deepEqual(filterRows(rows, { quote: 'BTC', search: 'eth' }).map((r) => r.symbol), ['ETHBTC']);
  assert.deepEqual(quoteAssets(rows), ['USDT', 'BTC']);
});

test('an update older than the row held is ignored', () => {
  assert.equal(isNewer({ time: 5 }, { time: 6 }), false);
  assert.equal(isNewer({ time: 6 }, { time: 6 }), false);
  assert.equal(isNewer({ time: 7 }, { time: 6 }), true);
  assert.equal(isNewer({ time: 7 }, undefined), true);
});

test('signed comparison puts losses below gains, bigger losses lower', () => {
  const changes = ['-0.25', '3', '-12.5', '0', '-0.3'];
  assert.deepEqual([...changes].sort(compareSigned), ['-12.5', '-0.3', '-0.25', '0', '3']);
});
