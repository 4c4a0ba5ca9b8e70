import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseDecimal } from '../../../src/lib/decimal.ts'
import { MICROS_PER_MINUTE, isoToMicros } from '../../../src/lib/event-time.ts'
import { type Candle, candleFromRow, candleToRow } from '../../../src/jobs/analytics/candles/candle.ts'
import { INTERVALS } from '../../../src/jobs/analytics/candles/intervals.ts'
import { SymbolCandles } from '../../../src/jobs/analytics/candles/symbol-candles.ts'
import type { TradeV1 } from '../../../src/schemas/trade.v1.ts'
import { tradeBuckets } from '../../helpers/naive-buckets.ts'
import { naiveCandles } from '../../helpers/naive-candles.ts'
import { jitter, seededRandom, syntheticTrades } from '../../helpers/synthetic-trades.ts'

const settings = { latenessMicros: 60_000_000, history: 50 }
// 23:00 UTC: the trades cross midnight, so there are two daily candles.
const start = Date.UTC(2025, 10, 10, 23, 0, 0) * 1000

function canonical(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value
}

function toCandleTrade(t: TradeV1) {
  return {
    tradeId: t.tradeId,
    ts: isoToMicros(t.exchangeTs) ?? 0,
    price: parseDecimal(t.price),
    qty: parseDecimal(t.qty),
    side: t.side
  }
}

/** Every candle the builder holds, as comparable rows (all of them: history is large enough). */
function built(
  trades: readonly TradeV1[],
  symbol: string,
  pruneEvery = 0
): Map<string, Record<string, string | number>> {
  const candles = new SymbolCandles(symbol, { ...settings, history: 100_000 })
  trades.forEach((t, i) => {
    candles.apply(toCandleTrade(t))
    if (pruneEvery > 0 && i % pruneEvery === 0) candles.prune()
  })
  const rows = new Map<string, Record<string, string | number>>()
  for (const interval of INTERVALS) {
    for (const candle of candles.series(interval.name)) {
      const row = candleToRow(candle)
      rows.set(`${row.interval} ${Date.parse(row.bucket)}`, row as unknown as Record<string, string | number>)
    }
  }
  return rows
}

function assertEqualToNaive(trades: readonly TradeV1[], accepted: readonly TradeV1[], pruneEvery = 0): void {
  const rows = built(trades, 'BTC/USD', pruneEvery)
  const expected = naiveCandles(accepted)
  assert.equal(rows.size, expected.length, 'number of candles')
  for (const candle of expected) {
    const row = rows.get(`${candle.interval} ${Date.parse(candle.bucket)}`)
    assert.ok(row, `candle ${candle.interval} ${candle.bucket}`)
    for (const field of [
      'open',
      'high',
      'low',
      'close',
      'volume',
      'quoteVolume',
      'buyVolume',
      'sellVolume'
    ] as const) {
      assert.equal(
        canonical(String(row[field])),
        canonical(candle[field]),
        `${field} of ${candle.interval} ${candle.bucket}`
      )
    }
    assert.equal(row.trades, candle.trades)
    assert.equal(row.firstTradeId, candle.firstTradeId)
    assert.equal(row.lastTradeId, candle.lastTradeId)
  }
}

test('candles of in-order trades equal a straightforward computation, at every interval', () => {
  const trades = syntheticTrades({ symbol: 'BTC/USD', count: 3000, startMicros: start, seed: 1 })
  assertEqualToNaive(trades, trades)
})

test('out-of-order trades within the lateness give the same candles as in order', () => {
  const trades = syntheticTrades({
    symbol: 'BTC/USD',
    count: 3000,
    startMicros: start,
    seed: 2,
    maxGapMicros: 2_000_000
  })
  // Up to ~25 places of disorder at ≤ 2 s per trade stays within the 60 s lateness.
  assertEqualToNaive(jitter(trades, 25, 3), trades, 97)
})

test('a trade later than the allowed lateness is left out, and a repeated trade counts once', () => {
  const trades = syntheticTrades({ symbol: 'BTC/USD', count: 600, startMicros: start, seed: 4 })
  const tooLate = trades[100] as TradeV1
  const withinLateness = trades[590] as TradeV1
  const delivered = trades.filter(t => t !== tooLate && t !== withinLateness)
  delivered.splice(595, 0, withinLateness)
  delivered.push(tooLate, trades[5] as TradeV1, trades[597] as TradeV1)
  assert.ok(
    (isoToMicros(trades[599]?.exchangeTs ?? '') ?? 0) - (isoToMicros(tooLate.exchangeTs) ?? 0) >
      settings.latenessMicros
  )
  assertEqualToNaive(
    delivered,
    trades.filter(t => t !== tooLate)
  )
})

test('a candle rebuilt from its stored row keeps absorbing trades exactly', () => {
  const trades = syntheticTrades({
    symbol: 'ETH/USD',
    count: 200,
    startMicros: start,
    seed: 5,
    maxGapMicros: 200_000
  })
  const first = new SymbolCandles('ETH/USD', settings)
  for (const t of trades.slice(0, 120)) first.apply(toCandleTrade(t))
  const restored = new SymbolCandles(
    'ETH/USD',
    settings,
    first.toState(),
    INTERVALS.flatMap(i => first.series(i.name)).map(c => candleFromRow(candleToRow(c), c.bucket))
  )
  const continuous = new SymbolCandles('ETH/USD', settings)
  for (const t of trades) continuous.apply(toCandleTrade(t))
  for (const t of trades.slice(100)) restored.apply(toCandleTrade(t)) // 100–119 again: repeats, ignored
  for (const interval of INTERVALS) {
    assert.deepEqual(
      restored.series(interval.name).map(candleToRow),
      continuous.series(interval.name).map(candleToRow),
      interval.name
    )
  }
})

test('a trade in a later minute closes the previous one-minute candle, once', () => {
  const candles = new SymbolCandles('BTC/USD', settings)
  const at = (id: number, seconds: number) => ({
    tradeId: id,
    ts: start + seconds * 1_000_000,
    price: parseDecimal('100.0'),
    qty: parseDecimal('1.0'),
    side: 'buy' as const
  })
  assert.equal(candles.apply(at(1, 10)).closed, undefined)
  assert.equal(candles.apply(at(2, 50)).closed, undefined)
  const closed = candles.apply(at(3, 70)).closed as Candle
  assert.equal(closed.bucket, start)
  assert.equal(closed.trades, 2)
  assert.equal(candles.apply(at(4, 55)).closed, undefined, 'a late trade closes nothing')
  assert.equal(candles.apply(at(5, 80)).closed, undefined)
})

test('pruning keeps the lateness horizon plus the configured history', () => {
  const candles = new SymbolCandles('BTC/USD', { latenessMicros: 0, history: 3 })
  for (let minute = 0; minute < 10; minute++) {
    candles.apply({
      tradeId: minute + 1,
      ts: start + minute * MICROS_PER_MINUTE,
      price: parseDecimal('1'),
      qty: parseDecimal('1'),
      side: 'sell'
    })
  }
  candles.prune()
  assert.deepEqual(
    candles.series('1m').map(c => (c.bucket - start) / MICROS_PER_MINUTE),
    [6, 7, 8, 9]
  )
})

test('a tie in high or low between lexemes of different scales keeps the first trade to reach it, at every interval, however the trades were batched', () => {
  let checked = 0
  for (const seed of [21, 31, 41, 51]) {
    const random = seededRandom(seed)
    // Three values, each written at several scales: the highest and lowest are rare, so a bucket's
    // high (low) is tied between a few trades of its minutes, and the lexeme shows which one won.
    const written = (value: string): string => `${value}${'0'.repeat(Math.floor(random() * 3))}`
    const trades = syntheticTrades({
      symbol: 'BTC/USD',
      count: 12_000,
      startMicros: start,
      seed: seed + 1,
      maxGapMicros: 500_000
    }).map(t => {
      const r = random()
      return { ...t, price: written(r < 0.005 ? '100.5' : r < 0.01 ? '99.5' : '100.0') }
    })
    // Up to 60 places at ≤ 0.5 s per trade: minutes interleave, all within the lateness.
    const delivered = jitter(trades, 60, seed + 2)
    const candles = new SymbolCandles('BTC/USD', { ...settings, history: 100_000 })
    for (const t of delivered) {
      candles.apply(toCandleTrade(t))
      // Between batches of varying size, as the job reads the longer intervals.
      if (random() < 0.003) {
        candles.drainChanges()
        candles.prune()
      }
    }
    for (const group of tradeBuckets(delivered)) {
      const candle = candles
        .series(group.interval as Candle['interval'])
        .find(c => c.bucket === Date.parse(group.bucket) * 1000)
      assert.ok(candle, `${group.interval} ${group.bucket}`)
      const values = group.trades.map(t => Number(t.price))
      const high = group.trades.find(t => Number(t.price) === Math.max(...values))?.price
      const low = group.trades.find(t => Number(t.price) === Math.min(...values))?.price
      const byId = [...group.trades].sort((a, b) => a.tradeId - b.tradeId)
      const row = candleToRow(candle)
      assert.deepEqual(
        [row.high, row.low, row.open, row.close],
        [high, low, byId[0]?.price, byId.at(-1)?.price],
        `seed ${seed}: ${group.interval} ${group.bucket}`
      )
      checked++
    }
  }
  assert.ok(checked > 200, `${checked} buckets`)
})

test('when a later minute reaches the high or low first, the longer candles keep its lexeme, as trade-by-trade updates would', () => {
  const candles = new SymbolCandles('BTC/USD', settings)
  const at = (id: number, seconds: number, price: string) => ({
    tradeId: id,
    ts: start + seconds * 1_000_000,
    price: parseDecimal(price),
    qty: parseDecimal('1.0'),
    side: 'buy' as const
  })
  // Minute 0 opens, minute 1 reaches 101 and 99 first, minute 0 ties them later (within the lateness).
  candles.apply(at(1, 10, '100.0'))
  candles.apply(at(5, 70, '101.00'))
  candles.apply(at(6, 71, '99.00'))
  candles.apply(at(2, 20, '101.0'))
  candles.apply(at(3, 21, '99.0'))
  for (const interval of ['5m', '15m', '1h', '1d'] as const) {
    const [row] = candles.series(interval).map(candleToRow)
    assert.deepEqual(
      [row?.high, row?.low, row?.open, row?.close],
      ['101.00', '99.00', '100.0', '99.00'],
      interval
    )
  }
})
