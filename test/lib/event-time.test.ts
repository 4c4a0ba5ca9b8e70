import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isoToMicros, isoToMillisForDatabase, microsToIso } from '../../src/lib/event-time.ts'

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

test('times an API client may give are the ones PostgreSQL takes: real dates, years 0001–9999, offsets within ±15:59', () => {
  assert.equal(isoToMillisForDatabase('2026-11-25T14:00:00Z'), Date.parse('2026-11-25T14:00:00Z'))
  assert.equal(isoToMillisForDatabase('2026-01-01T02:00:00+02:00'), Date.parse('2026-01-01T00:00:00Z'))
  assert.equal(isoToMillisForDatabase('0050-01-01T00:00:00Z'), Date.parse('0050-01-01T00:00:00Z'), 'not 1950')
  assert.equal(isoToMillisForDatabase('9999-12-31T23:59:59-15:59'), Date.parse('9999-12-31T23:59:59-15:59'))
  for (const refused of [
    '2026-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2026-01-01T00:00:00+23:59',
    '2026-01-01T00:00:00+15:60',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:00:60Z',
    '2026-01-01 00:00:00Z'
  ])
    assert.equal(isoToMillisForDatabase(refused), undefined, refused)
})
