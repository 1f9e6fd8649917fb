import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CandleBook, Change, normalizeCandle } from '../candles.js';

const MIN = 60_000;

function candle(minute, { close = '100', trades = 1, closed = false } = {}) {
  return normalizeCandle({
    openTime: minute * MIN, closeTime: minute * MIN + MIN - 1,
    open: '100', high: close, low: '100', close, volume: '1', trades, closed,
  });
}

test('the newest window is appended, then updated in place', () => {
  const book = new CandleBook();
  assert.equal(book.upsert(candle(1, { trades: 1 })), Change.LAST);
  assert.equal(book.upsert(candle(1, { trades: 2, close: '101' })), Change.LAST);
  assert.equal(book.upsert(candle(2)), Change.LAST);
  assert.deepEqual(book.list().map((c) => c.openTime), [MIN, 2 * MIN]);
  assert.equal(book.get(MIN).close, '101');
});

test('stale and duplicate updates change nothing', () => {
  const book = new CandleBook();
  book.upsert(candle(1, { trades: 5, close: '105' }));
  assert.equal(book.upsert(candle(1, { trades: 3, close: '103' })), Change.IGNORED);
  book.upsert(candle(1, { trades: 6, close: '106', closed: true }));
  assert.equal(book.upsert(candle(1, { trades: 7, close: '107' })), Change.IGNORED, 'open update after the close');
  assert.equal(book.get(MIN).close, '106');
  assert.equal(book.upsert(candle(1, { trades: 6, close: '106', closed: true })), Change.LAST, 'a repeated close is harmless');
});

test('a late correction of an older window replaces it; a missing older window is inserted in order', () => {
  const book = new CandleBook();
  book.merge([candle(1, { closed: true }), candle(3, { closed: true }), candle(4)]);
  assert.equal(book.upsert(candle(1, { closed: true, close: '99', trades: 1 })), Change.OLDER);
  assert.equal(book.get(MIN).close, '99');
  assert.equal(book.upsert(candle(2, { closed: true })), Change.INSERTED);
  assert.deepEqual(book.list().map((c) => c.openTime / MIN), [1, 2, 3, 4]);
});

test('a REST page racing live updates keeps the fresher open candle', () => {
  const book = new CandleBook();
  book.upsert(candle(5, { trades: 40, close: '140' })); // live, fresher
  const changed = book.merge([candle(3, { closed: true }), candle(4, { closed: true }), candle(5, { trades: 30 })]);
  assert.ok(changed);
  assert.deepEqual(book.list().map((c) => c.openTime / MIN), [3, 4, 5]);
  assert.equal(book.last().close, '140');
});

test('the oldest are dropped beyond the limit', () => {
  const book = new CandleBook(3);
  book.merge([candle(1), candle(2), candle(3)].map((c) => ({ ...c, closed: true })));
  assert.equal(book.upsert(candle(4)), Change.INSERTED, 'a trim means the series is set again');
  assert.deepEqual(book.list().map((c) => c.openTime / MIN), [2, 3, 4]);
});
