import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { OhlcV1 } from '../../../src/schemas/index.ts'
import { CandleTracker } from '../../../src/sources/kraken/candle-tracker.ts'

function candle(minute: number, close: string): OhlcV1 {
  return {
    v: 1,
    type: 'ohlc',
    exchange: 'kraken',
    symbol: 'BTC/USD',
    interval: 1,
    intervalBegin: `2026-11-25T14:${String(minute).padStart(2, '0')}:00.000000000Z`,
    open: '1',
    high: '2',
    low: '1',
    close,
    vwap: '1.5',
    volume: '3',
    trades: 2,
    final: false,
    receivedAt: '2026-11-25T14:00:00.000000Z',
    source: 'ws'
  }
}

test('a candle becomes final when the next interval starts, and is re-sent with its last state', () => {
  const tracker = new CandleTracker()
  const at = '2026-11-25T14:02:00.000001Z'
  assert.deepEqual(
    tracker.accept([candle(0, '1')], at).map(c => [c.intervalBegin.slice(14, 16), c.close, c.final]),
    [['00', '1', false]]
  )
  assert.deepEqual(
    tracker.accept([candle(0, '2')], at).map(c => [c.close, c.final]),
    [['2', false]]
  )
  assert.deepEqual(
    tracker.accept([candle(1, '3')], at).map(c => [c.intervalBegin.slice(14, 16), c.close, c.final]),
    [
      ['00', '2', true],
      ['01', '3', false]
    ]
  )
})

test('a snapshot of several candles marks all but the newest final', () => {
  const out = new CandleTracker().accept(
    [candle(2, 'c'), candle(0, 'a'), candle(1, 'b')],
    '2026-11-25T14:03:00.000000Z'
  )
  assert.deepEqual(
    out.map(c => [c.close, c.final]),
    [
      ['a', false],
      ['a', true],
      ['b', false],
      ['b', true],
      ['c', false]
    ]
  )
})
