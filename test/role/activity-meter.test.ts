import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ActivityMeter } from '../../src/role/activity-meter.ts'

test('the rate covers the last window only, and the total and last time every record', () => {
  let now = Date.parse('2026-11-25T14:00:00.000Z')
  const meter = new ActivityMeter({ windowMs: 10_000, now: () => now })
  assert.deepEqual(meter.report(), { recordsHandled: 0, lastEventAt: null, throughputPerSec: 0 })
  for (let second = 0; second < 10; second++) {
    now += 1_000
    meter.record(20)
  }
  assert.equal(meter.report().throughputPerSec, 20)
  assert.equal(meter.report().lastEventAt, '2026-11-25T14:00:10.000Z')
  // Ten quiet seconds: the rate falls back to nothing, the counter and the last time stay.
  now += 10_000
  assert.deepEqual(meter.report(), {
    recordsHandled: 200,
    lastEventAt: '2026-11-25T14:00:10.000Z',
    throughputPerSec: 0
  })
})

test('a meter younger than its window divides by the time it has existed', () => {
  let now = 1_000_000
  const meter = new ActivityMeter({ windowMs: 10_000, now: () => now })
  now += 2_000
  meter.record(30)
  assert.equal(meter.report().throughputPerSec, 15)
})
