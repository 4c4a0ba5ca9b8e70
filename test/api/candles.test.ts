import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { type TestApi, getJson, startTestApi } from '../helpers/api.ts'
import { insertIndicator, uniqueSymbol, upsertCandle } from '../helpers/seed.ts'

interface CandlesBody {
  symbol: string
  interval: string
  candles: { bucket: string; close: string; trades: number; quoteVolume: string }[]
  indicators?: Record<string, { bucket: string; value: number }[]>
  nextCursor: string | null
}

let database: TestDatabase
let api: TestApi
const symbol = uniqueSymbol()
const minute = (i: number): string =>
  new Date(Date.UTC(2026, 10, 25, 14, i)).toISOString().replace('.000Z', 'Z')

before(async () => {
  database = await createTestDatabase()
  for (let i = 0; i < 10; i++)
    await upsertCandle(database.db, { symbol, interval: '1m', bucket: minute(i), close: `${100 + i}.5` })
  await upsertCandle(database.db, { symbol, interval: '5m', bucket: minute(0), close: '999' })
  for (let i = 0; i < 10; i++) {
    await insertIndicator(database.db, {
      symbol,
      interval: '1m',
      bucket: minute(i),
      name: 'sma_20',
      value: 100 + i / 10
    })
    await insertIndicator(database.db, {
      symbol,
      interval: '1m',
      bucket: minute(i),
      name: 'rsi_14',
      value: 50 + i
    })
  }
  api = await startTestApi({ db: database.db })
})

after(async () => {
  await api?.close()
  await database?.drop()
})

const path = (query: string): string => `/api/candles?symbol=${symbol}&${query}`

test('without a start, the newest candles before the end come back oldest first, exact decimals kept', async () => {
  const { status, body } = await getJson<CandlesBody>(api.url, path('interval=1m&limit=3'))
  assert.equal(status, 200)
  assert.equal(body.symbol, symbol)
  assert.equal(body.interval, '1m')
  assert.deepEqual(
    body.candles.map(c => c.bucket),
    [minute(7), minute(8), minute(9)]
  )
  assert.equal(body.candles[2]?.close, '109.5')
  assert.equal(body.candles[2]?.quoteVolume, '219.0')
  assert.equal(body.nextCursor, null)
})

test('a range with a start pages forwards with cursors, covering every candle once', async () => {
  const seen: string[] = []
  let query = `interval=1m&from=${minute(2)}&to=${minute(9)}&limit=3`
  for (let page = 0; page < 5; page++) {
    const { body } = await getJson<CandlesBody>(api.url, path(query))
    seen.push(...body.candles.map(c => c.bucket))
    if (body.nextCursor === null) break
    query = `interval=1m&from=${minute(2)}&to=${minute(9)}&limit=3&cursor=${body.nextCursor}`
  }
  assert.deepEqual(seen, [2, 3, 4, 5, 6, 7, 8].map(minute))
})

test('indicator series come on request, aligned to the returned candles', async () => {
  const { body } = await getJson<CandlesBody>(
    api.url,
    path(`interval=1m&from=${minute(4)}&limit=2&indicators=sma_20,rsi_14,macd`)
  )
  assert.deepEqual(
    body.candles.map(c => c.bucket),
    [minute(4), minute(5)]
  )
  assert.deepEqual(body.indicators?.rsi_14, [
    { bucket: minute(4), value: 54 },
    { bucket: minute(5), value: 55 }
  ])
  assert.equal(body.indicators?.sma_20?.length, 2)
  assert.deepEqual(body.indicators?.macd, [], 'an unknown indicator is an empty series')
  const plain = await getJson<CandlesBody>(api.url, path('interval=1m&limit=1'))
  assert.equal(plain.body.indicators, undefined, 'no indicators unless asked for')
})

test('intervals are kept apart, and an empty range is an empty list', async () => {
  const fiveMinutes = await getJson<CandlesBody>(api.url, path('interval=5m'))
  assert.deepEqual(
    fiveMinutes.body.candles.map(c => c.close),
    ['999']
  )
  const empty = await getJson<CandlesBody>(
    api.url,
    path(`interval=1m&from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z`)
  )
  assert.equal(empty.status, 200)
  assert.deepEqual(empty.body.candles, [])
  assert.equal(empty.body.nextCursor, null)
  const unknown = await getJson<CandlesBody>(
    api.url,
    `/api/candles?symbol=NONE/USD&interval=1m&indicators=sma_20`
  )
  assert.deepEqual(unknown.body.candles, [])
  assert.deepEqual(unknown.body.indicators, { sma_20: [] })
})

const badRequests: [string, string, string, RegExp][] = [
  ['a missing interval', `symbol=${symbol}`, 'interval', /one of 1m, 5m, 15m, 1h, 1d/],
  ['an unknown interval', `symbol=${symbol}&interval=2m`, 'interval', /one of 1m, 5m/],
  ['a missing symbol', 'interval=1m', 'symbol', /BASE\/QUOTE/],
  ['a lower-case symbol', 'symbol=btc/usd&interval=1m', 'symbol', /BASE\/QUOTE/],
  ['a page size over the maximum', `symbol=${symbol}&interval=1m&limit=1001`, 'limit', /from 1 to 1000/],
  ['a page size of zero', `symbol=${symbol}&interval=1m&limit=0`, 'limit', /from 1 to 1000/],
  ['a non-numeric page size', `symbol=${symbol}&interval=1m&limit=ten`, 'limit', /integer/],
  ['a time without a zone', `symbol=${symbol}&interval=1m&from=2026-11-25T14:00:00`, 'from', /RFC 3339/],
  ['an impossible date', `symbol=${symbol}&interval=1m&from=2026-13-45T14:00:00Z`, 'from', /RFC 3339/],
  [
    'an end before the start',
    `symbol=${symbol}&interval=1m&from=${minute(5)}&to=${minute(1)}`,
    'to',
    /after from/
  ],
  [
    'a range longer than the bound',
    `symbol=${symbol}&interval=1m&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z`,
    'to',
    /at most 31 days/
  ],
  [
    'a forged cursor',
    `symbol=${symbol}&interval=1m&from=${minute(1)}&cursor=bm90LWEtY3Vyc29y`,
    'cursor',
    /nextCursor/
  ],
  [
    'an unknown parameter',
    `symbol=${symbol}&interval=1m&limt=5`,
    'limt',
    /one of the parameters symbol, interval/
  ],
  [
    'a malformed indicator list',
    `symbol=${symbol}&interval=1m&indicators=SMA 20`,
    'indicators',
    /comma-separated/
  ]
]

for (const [what, query, parameter, expected] of badRequests) {
  test(`${what} is a 400 naming "${parameter}" and what it expects`, async () => {
    const { status, body } = await getJson<{
      error: string
      code: string
      parameter: string
      expected: string
      message: string
    }>(api.url, `/api/candles?${query}`)
    assert.equal(status, 400)
    assert.equal(body.error, 'bad_request')
    assert.equal(body.code, 'CV_ERR_API_BAD_REQUEST')
    assert.equal(body.parameter, parameter)
    assert.match(body.expected, expected)
    assert.match(body.message, new RegExp(parameter))
  })
}
