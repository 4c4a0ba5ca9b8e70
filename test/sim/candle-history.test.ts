/**
 * The fake Kraken's older history (candles only, before its trades): REST OHLC serves the 720 most
 * recent candles of each interval over it, one continuous market where a longer candle is the
 * aggregate of the shorter ones inside it, and a later run's history begins where the last one ended.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CandleHistory } from '../../src/sim/kraken/candle-history.ts'
import { profileOf, seededRandom } from '../../src/sim/kraken/profiles.ts'
import { restReply } from '../../src/sim/kraken/rest-routes.ts'
import { SyntheticMarket } from '../../src/sim/kraken/synthetic-market.ts'

type Row = [number, string, string, string, string, string, string, number]

const market = new SyntheticMarket({
  symbols: ['BTC/USD'],
  seed: 5,
  historyMinutes: 30,
  olderHistoryDays: 740
})

function ohlc(interval: number): Row[] {
  const reply = restReply(
    market,
    '/0/public/OHLC',
    new URLSearchParams({ pair: 'XBTUSD', interval: String(interval) }),
    'online'
  )
  const body = JSON.parse(reply.body) as { error: string[]; result: Record<string, Row[]> }
  assert.deepEqual(body.error, [])
  return body.result.XBTUSD ?? []
}

test('REST OHLC serves the 720 most recent candles of every interval, from two years of daily candles to minutes', () => {
  const now = Date.now() / 1000
  for (const interval of [1, 5, 15, 60, 1440]) {
    const rows = ohlc(interval)
    assert.equal(rows.length, 720, `interval ${interval}`)
    const step = interval * 60
    assert.ok(
      rows.every((row, i) => i === 0 || row[0] - (rows[i - 1]?.[0] ?? 0) === step),
      `interval ${interval}: one candle per bucket, none missing`
    )
    assert.ok(
      now - (rows.at(-1)?.[0] ?? 0) < 2 * step,
      `interval ${interval}: the last candle is the current one (or the one before, across a boundary)`
    )
  }
})

test('an hourly candle is the aggregate of its minutes, and each candle opens near where the previous one closed', () => {
  const minutes = ohlc(1)
  const hours = ohlc(60)
  const full = hours.filter(h => {
    const inside = minutes.filter(m => m[0] >= h[0] && m[0] < h[0] + 3600)
    return inside.length === 60
  })
  assert.ok(full.length >= 5, 'several whole hours inside the minutes served')
  for (const hour of full) {
    const inside = minutes.filter(m => m[0] >= hour[0] && m[0] < hour[0] + 3600)
    assert.equal(hour[1], inside[0]?.[1], 'open of the first minute')
    assert.equal(hour[4], inside.at(-1)?.[4], 'close of the last minute')
    assert.equal(Number(hour[2]), Math.max(...inside.map(m => Number(m[2]))), 'highest high')
    assert.equal(Number(hour[3]), Math.min(...inside.map(m => Number(m[3]))), 'lowest low')
    assert.equal(
      hour[7],
      inside.reduce((sum, m) => sum + m[7], 0),
      'every trade counted once'
    )
  }
  for (const rows of [minutes, hours, ohlc(1440)])
    for (let i = 1; i < rows.length; i++) {
      const jump = Math.abs(Math.log(Number(rows[i]?.[1]) / Number(rows[i - 1]?.[4])))
      assert.ok(jump < 0.2, `a continuous market, not a jump of ${jump} at ${rows[i]?.[0]}`)
    }
})

test("a later run's older history starts at the price the previous run stopped at and ends where its trades begin", () => {
  const profile = profileOf('BTC/USD')
  const endS = Math.floor(Date.now() / 1000)
  const history = new CandleHistory({
    profile,
    endS,
    endPrice: 90_000,
    fromS: endS - 6 * 3600,
    startPrice: 80_000,
    random: seededRandom(3)
  })
  const candles = history.candles(60, { price: 1, qty: 8 })
  assert.ok(candles.length >= 359 && candles.length <= 360, `six hours of minutes, got ${candles.length}`)
  assert.ok(Math.abs(Number(candles[0]?.open) / 80_000 - 1) < 0.01, `opens at ${candles[0]?.open}`)
  assert.ok(Math.abs(Number(candles.at(-1)?.close) / 90_000 - 1) < 0.01, `closes at ${candles.at(-1)?.close}`)
})
