import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isoToMicros, microsToIso } from '../../src/lib/event-time.ts'

test('RFC 3339 times read to whole microseconds, digits beyond µs truncated, offsets applied', () => {
  assert.equal(isoToMicros('1970-01-01T00:00:01.000001Z'), 1_000_001)
  assert.equal(isoToMicros('2025-11-10T17:23:53.9717445Z'), 1762795433971744)
  assert.equal(isoToMicros('2025-11-10T18:23:53.5+01:00'), 1762795433500000)
  assert.equal(isoToMicros('2025-11-10T17:23:53Z'), 1762795433000000)
})

test('impossible dates are undefined rather than rolled over', () => {
  assert.equal(isoToMicros('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29) * 1000)
  for (const bad of [
    '2023-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2023-04-31T00:00:00Z',
    '2023-02-30T00:00:00Z',
    '2023-13-01T00:00:00Z',
    '2023-01-01T24:00:00Z',
    'yesterday'
  ]) {
    assert.equal(isoToMicros(bad), undefined, bad)
  }
})

test('microseconds print back as ISO 8601 UTC with six decimals', () => {
  assert.equal(microsToIso(1762795433971744), '2025-11-10T17:23:53.971744Z')
  assert.equal(microsToIso(0), '1970-01-01T00:00:00.000000Z')
})
