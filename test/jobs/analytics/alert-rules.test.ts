import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseDecimal } from '../../../src/lib/decimal.ts'
import { MICROS_PER_MINUTE } from '../../../src/lib/event-time.ts'
import { AlertGate, alertId, toAlert } from '../../../src/jobs/analytics/alerts/alert-ids.ts'
import {
  type AlertSettings,
  priceMove,
  sentimentSwing,
  spreadWidening,
  volumeSpike
} from '../../../src/jobs/analytics/alerts/rules.ts'
import type { Candle } from '../../../src/jobs/analytics/candles/candle.ts'
import type { SpreadBucket } from '../../../src/jobs/analytics/spreads/symbol-spreads.ts'
import { alertCodec } from '../../../src/schemas/alert.v1.ts'

const settings: AlertSettings = {
  cooldownMinutes: 15,
  priceMovePct: 3,
  priceMoveWindowMinutes: 5,
  volumeZScore: 4,
  volumeLookback: 10,
  spreadRatio: 3,
  spreadMinBps: 5,
  spreadLookback: 10,
  sentimentSwing: 0.5,
  sentimentWindowHours: 6,
  sentimentMinArticles: 3
}
const t0 = Date.UTC(2026, 10, 25, 14, 0) * 1000
const minute = (n: number): number => t0 + n * MICROS_PER_MINUTE

function candle(n: number, close: string, volume = '1.0'): Candle {
  const c = parseDecimal(close)
  const v = parseDecimal(volume)
  return {
    symbol: 'BTC/USD',
    interval: '1m',
    bucket: minute(n),
    open: c,
    high: c,
    low: c,
    close: c,
    volume: v,
    quoteVolume: v,
    buyVolume: v,
    sellVolume: parseDecimal('0'),
    buyTrades: 1,
    buyQuoteVolume: v,
    trades: 1,
    firstTradeId: n,
    lastTradeId: n
  }
}

test('a price move of at least the threshold over the window fires, with its figures in words', () => {
  const series = [candle(0, '91000.0'), candle(3, '92000.0'), candle(5, '93912.0')]
  const draft = priceMove(series[2] as Candle, series, settings)
  assert.ok(draft)
  assert.equal(draft.rule, 'price_move_5m')
  assert.equal(draft.value, 3.2)
  assert.equal(draft.severity, 'warning')
  assert.equal(draft.eventTs, minute(6))
  assert.match(draft.title, /BTC\/USD \+3\.2 % in 5 min/)
  assert.match(draft.message, /from 91000\.0 to 93912\.0/)
})

test('a smaller move, or no reference close recent enough, fires nothing', () => {
  const small = [candle(0, '91000.0'), candle(5, '93000.0')]
  assert.equal(priceMove(small[1] as Candle, small, settings), undefined)
  const stale = [candle(-20, '50000.0'), candle(5, '93000.0')]
  assert.equal(priceMove(stale[1] as Candle, stale, settings), undefined)
  assert.equal(priceMove(candle(5, '1.0'), [candle(5, '1.0')], { ...settings, priceMovePct: 0 }), undefined)
})

test('a minute whose volume is far above the previous minutes fires a volume spike', () => {
  const series = Array.from({ length: 10 }, (_, i) => candle(i, '100.0', i % 2 === 0 ? '1.0' : '1.2'))
  const spike = candle(10, '100.0', '5.0')
  const draft = volumeSpike(spike, [...series, spike], settings)
  assert.ok(draft)
  assert.ok(draft.value >= 4)
  assert.equal(volumeSpike(candle(10, '100.0', '1.3'), [...series], settings), undefined)
  assert.equal(volumeSpike(spike, series.slice(5), settings), undefined, 'too short a baseline')
})

function spread(n: number, bps: number): SpreadBucket {
  return {
    symbol: 'BTC/USD',
    interval: '1m',
    bucket: minute(n),
    midClose: parseDecimal('100.0'),
    spreadClose: parseDecimal('0.1'),
    closeTs: minute(n),
    sumBps: bps * 4,
    maxBps: bps,
    samples: 4
  }
}

test('a widening spread fires when both the ratio and the absolute width are reached', () => {
  const base = Array.from({ length: 10 }, (_, i) => spread(i, 2))
  assert.ok(spreadWidening(spread(10, 7), base, settings))
  assert.equal(spreadWidening(spread(10, 4.5), base, settings), undefined, 'narrower than the minimum')
  assert.equal(spreadWidening(spread(10, 5.5), base, settings), undefined, 'ratio below 3')
})

test('a sentiment swing needs the change and enough articles in the window', () => {
  const hour = 60 * MICROS_PER_MINUTE
  const points = [0, 2, 4, 6].map((h, i) => ({
    bucket: t0 + h * hour,
    articles: 2,
    index: i === 3 ? 0.4 : -0.3
  }))
  const draft = sentimentSwing('BTC', points, settings)
  assert.ok(draft)
  assert.equal(draft.rule, 'sentiment_swing_6h')
  assert.ok(Math.abs(draft.value - 0.7) < 1e-9)
  assert.equal(sentimentSwing('BTC', points, { ...settings, sentimentMinArticles: 7 }), undefined)
})

test('an alert id is its rule, symbol and event-time window: the same firing gets the same id', () => {
  const cooldown = 15 * MICROS_PER_MINUTE
  assert.equal(
    alertId('volume_spike', 'BTC/USD', minute(7), cooldown),
    'volume_spike:BTC/USD:2026-11-25T14:00:00Z'
  )
  assert.equal(
    alertId('volume_spike', 'BTC/USD', minute(14), cooldown),
    alertId('volume_spike', 'BTC/USD', minute(1), cooldown)
  )
  assert.notEqual(
    alertId('volume_spike', 'BTC/USD', minute(15), cooldown),
    alertId('volume_spike', 'BTC/USD', minute(1), cooldown)
  )
})

test('the gate lets one alert per rule, symbol and window through, and alerts are valid messages', () => {
  const cooldown = 15 * MICROS_PER_MINUTE
  const gate = new AlertGate(cooldown)
  const series = [candle(0, '91000.0'), candle(5, '93912.0'), candle(6, '95000.0')]
  const first = toAlert(
    priceMove(series[1] as Candle, series, settings) ?? assert.fail(),
    cooldown,
    '2026-11-25T14:06:00.1Z'
  )
  const second = toAlert(
    priceMove(series[2] as Candle, series, settings) ?? assert.fail(),
    cooldown,
    '2026-11-25T14:07:00.1Z'
  )
  assert.equal(first.id, second.id)
  assert.equal(gate.has(first.id), false)
  gate.remember(first.id, minute(6))
  assert.equal(gate.has(second.id), true)
  assert.doesNotThrow(() => alertCodec.encode(first))
})
