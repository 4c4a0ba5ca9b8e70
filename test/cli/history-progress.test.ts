import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  formatSpan,
  historyDoneLine,
  historySegment,
  historyStartLine
} from '../../src/cli/console/history-progress.ts'
import type { HistoryProgress } from '../../src/sources/kraken/history-fill.ts'

function progress(overrides: Partial<HistoryProgress> = {}): HistoryProgress {
  return {
    state: 'done',
    symbols: 6,
    intervals: [1, 15, 60, 1440, 5],
    series: { total: 30, done: 30, skipped: 0, failed: 0 },
    candles: 21_600,
    perInterval: { '1': 4_320, '15': 4_320, '60': 4_320, '1440': 4_320, '5': 4_320 },
    current: null,
    lastError: null,
    startedAt: '2026-11-25T14:00:00.000Z',
    finishedAt: '2026-11-25T14:00:31.000Z',
    ...overrides
  }
}

test('the done line says how far back each interval now goes and how long it took', () => {
  assert.equal(
    historyDoneLine(progress()),
    "market history from Kraken's OHLC: 21,600 candles (1m 12 h · 15m 7.5 d · 1h 30 d · 1d 2.0 y · 5m 2.5 d) in 31 s"
  )
  assert.equal(
    historyDoneLine(
      progress({ candles: 0, perInterval: {}, series: { total: 30, done: 30, skipped: 30, failed: 0 } })
    ),
    'market history up to date (30 series had nothing new) in 31 s'
  )
  assert.equal(
    historyDoneLine(
      progress({ candles: 0, perInterval: {}, series: { total: 30, done: 0, skipped: 0, failed: 30 } })
    ),
    undefined,
    'nothing loaded because of failures: the warning alone speaks'
  )
})

test('while loading, the status line counts the series tried; the start line names what loads', () => {
  const loading = progress({ state: 'loading', series: { total: 30, done: 11, skipped: 0, failed: 1 } })
  assert.equal(historySegment(loading), 'history 12/30')
  assert.equal(historySegment(progress()), undefined)
  assert.equal(
    historyStartLine(loading),
    "loading market history from Kraken's OHLC: 6 symbol(s) × 1m 15m 1h 1d 5m (at most 720 candles each)"
  )
  assert.deepEqual([30, 720, 10_800, 43_200, 1_036_800].map(formatSpan), [
    '0.5 h',
    '12 h',
    '7.5 d',
    '30 d',
    '2.0 y'
  ])
})
