import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneShift } from '../zone.js';

// Node reads TZ again whenever it changes, so each test can stand in a zone of its own.
function inZone(tz, body) {
  const saved = process.env.TZ;
  process.env.TZ = tz;
  try {
    body();
  } finally {
    process.env.TZ = saved;
  }
}

const JAN = Date.UTC(2026, 0, 15, 12, 0);
const JUL = Date.UTC(2026, 6, 15, 12, 0);

test('chart times are the wall clock of the zone, and back', () => {
  inZone('Asia/Kolkata', () => {
    const zone = new ZoneShift(JAN);
    assert.equal(zone.offsetSeconds, 5.5 * 3600);
    assert.equal(zone.toChart(JAN), JAN / 1000 + 19800);
    assert.equal(zone.toUtcMs(zone.toChart(JAN)), JAN);
  });
  inZone('America/New_York', () => {
    assert.equal(new ZoneShift(JAN).toChart(JAN), JAN / 1000 - 5 * 3600);
  });
});

test('one offset per data set keeps times ascending through the autumn hour, and tells when it is stale', () => {
  inZone('Europe/Berlin', () => {
    const summer = new ZoneShift(JUL);
    assert.equal(summer.offsetSeconds, 7200);
    assert.ok(!summer.isStale(JUL));
    assert.ok(summer.isStale(JAN), 'winter time needs the data set again');
    const fallBack = Date.UTC(2026, 9, 25, 0, 30); // 02:30 CEST, then 02:30 CET an hour later
    const times = [0, 1, 2, 3].map((h) => summer.toChart(fallBack + h * 1800_000));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    assert.equal(new Set(times).size, times.length);
  });
});
