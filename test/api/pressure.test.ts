import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type TestApi, getJson, startTestApi } from '../helpers/api.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { uniqueSymbol, upsertCandle } from '../helpers/seed.ts'

interface PressureBody {
  interval: string
  series: {
    symbol: string
    points: {
      bucket: string
      buyVolume: string
      sellVolume: string
      imbalance: string
      buyTrades: number | null
      sellTrades: number | null
      buyQuoteVolume: string | null
      sellQuoteVolume: string | null
    }[]
  }[]
}

let database: TestDatabase
let api: TestApi
const [btc, eth, empty] = [uniqueSymbol(), uniqueSymbol(), uniqueSymbol()]
const minute = (i: number): string =>
  new Date(Date.UTC(2026, 10, 25, 14, i)).toISOString().replace('.000Z', 'Z')

before(async () => {
  database = await createTestDatabase()
  // Seeded candles: buy 1.25, sell 0.75 (imbalance 0.25); the analytics job writes the per-side
  // counts, which these rows only have from minute 2 on (earlier ones look like pre-003 rows).
  for (let i = 0; i < 5; i++) {
    for (const symbol of [btc, eth]) {
      await upsertCandle(database.db, { symbol, interval: '1m', bucket: minute(i), close: `${100 + i}` })
    }
  }
  await database.db.query(
    `update candles set buy_trades = 2, buy_quote_volume = 125.5, imbalance = 0.25
      where symbol = $1 and bucket >= $2`,
    [btc, minute(2)]
  )
  api = await startTestApi({ db: database.db })
})

after(async () => {
  await api?.close()
  await database?.drop()
})

test('pressure of several symbols comes back per symbol, in the order asked, each oldest first', async () => {
  const { status, body } = await getJson<PressureBody>(
    api.url,
    `/api/pressure?symbols=${eth},${btc},${empty}&interval=1m&limit=3`
  )
  assert.equal(status, 200)
  assert.deepEqual(
    body.series.map(s => s.symbol),
    [eth, btc, empty]
  )
  assert.deepEqual(
    body.series[1]?.points.map(p => p.bucket),
    [minute(2), minute(3), minute(4)]
  )
  assert.deepEqual(body.series[2]?.points, [], 'a symbol without candles has an empty series')
  const point = body.series[1]?.points[0]
  assert.ok(point)
  assert.equal(Number(point.buyVolume), 1.25)
  assert.equal(Number(point.sellVolume), 0.75)
  assert.equal(Number(point.imbalance), 0.25)
  assert.equal(point.buyTrades, 2)
  assert.equal(point.sellTrades, 1, 'sell trades are the candle trades minus the buys')
  assert.equal(Number(point.sellQuoteVolume), 2 * 102 - 125.5)
})

test('buckets stored without per-side counts still have their imbalance, from the exact volumes', async () => {
  const { body } = await getJson<PressureBody>(
    api.url,
    `/api/pressure?symbols=${btc}&interval=1m&from=${minute(0)}&limit=2`
  )
  const [first] = body.series[0]?.points ?? []
  assert.ok(first)
  assert.equal(first.imbalance, '0.250000000000')
  assert.equal(first.buyTrades, null)
  assert.equal(first.buyQuoteVolume, null)
})

test('more than twenty symbols, or a malformed one, is a 400 that names the parameter', async () => {
  const many = Array.from({ length: 21 }, (_, i) => `S${i}/USD`).join(',')
  const tooMany = await getJson<{ parameter?: string }>(api.url, `/api/pressure?symbols=${many}&interval=1m`)
  assert.equal(tooMany.status, 400)
  assert.equal(tooMany.body.parameter, 'symbols')
  const bad = await getJson<{ parameter?: string }>(api.url, '/api/pressure?symbols=btcusd&interval=1m')
  assert.equal(bad.status, 400)
})
