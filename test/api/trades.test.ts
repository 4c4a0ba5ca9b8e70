import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type TestApi, getJson, startTestApi } from '../helpers/api.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts'
import { uniqueSymbol } from '../helpers/seed.ts'

interface TradesBody {
  symbol: string
  trades: { tradeId: number; ts: string; price: string; qty: string; side: string; source: string }[]
  nextCursor: string | null
}

let database: TestDatabase
let api: TestApi
let pipeline: Pipeline
const symbol = uniqueSymbol()
const other = uniqueSymbol()
// Two trades share a timestamp: the cursor must page on (time, id), not time alone.
const second = (i: number): string => `2026-11-25T14:00:${String(Math.min(i, 8)).padStart(2, '0')}.123456Z`

before(async () => {
  database = await createTestDatabase()
  // Through the real write path: Kafka → ingest role → PostgreSQL.
  pipeline = await startPipeline({ databaseUrl: database.url })
  await pipeline.trades([
    ...Array.from({ length: 10 }, (_, i) => ({
      symbol,
      tradeId: 1000 + i,
      exchangeTs: second(i),
      price: `30243.${i}0000`
    })),
    { symbol: other, tradeId: 1, exchangeTs: second(1) }
  ])
  await pipeline.stored(`select count(*) as n from trades where symbol in ('${symbol}', '${other}')`, 11)
  api = await startTestApi({ db: database.db })
})

after(async () => {
  await api?.close()
  await pipeline?.stop()
  await database?.drop()
})

test('trades of a symbol come newest first with exact prices and microsecond times', async () => {
  const { status, body } = await getJson<TradesBody>(api.url, `/api/trades?symbol=${symbol}&limit=2`)
  assert.equal(status, 200)
  assert.deepEqual(
    body.trades.map(t => t.tradeId),
    [1009, 1008]
  )
  assert.equal(body.trades[0]?.price, '30243.90000')
  assert.equal(body.trades[0]?.ts, '2026-11-25T14:00:08.123456Z')
  assert.equal(body.trades[0]?.source, 'ws')
  assert.ok(body.nextCursor)
})

test('paging with cursors returns every trade once, in order, even where times tie', async () => {
  const ids: number[] = []
  let cursor = ''
  for (let page = 0; page < 10; page++) {
    const { body } = await getJson<TradesBody>(api.url, `/api/trades?symbol=${symbol}&limit=3${cursor}`)
    ids.push(...body.trades.map(t => t.tradeId))
    if (body.nextCursor === null) break
    cursor = `&cursor=${body.nextCursor}`
  }
  assert.deepEqual(
    ids,
    Array.from({ length: 10 }, (_, i) => 1009 - i)
  )
})

test('a time range is half-open and symbols are kept apart', async () => {
  const { body } = await getJson<TradesBody>(
    api.url,
    `/api/trades?symbol=${symbol}&from=${second(2)}&to=${second(5)}`
  )
  assert.deepEqual(
    body.trades.map(t => t.tradeId),
    [1004, 1003, 1002]
  )
  const otherBody = await getJson<TradesBody>(api.url, `/api/trades?symbol=${other}`)
  assert.deepEqual(
    otherBody.body.trades.map(t => t.tradeId),
    [1]
  )
})

test('an empty range or an unknown symbol is an empty list, not an error', async () => {
  const empty = await getJson<TradesBody>(
    api.url,
    `/api/trades?symbol=${symbol}&from=2020-01-01T00:00:00Z&to=2020-01-01T01:00:00Z`
  )
  assert.equal(empty.status, 200)
  assert.deepEqual(empty.body.trades, [])
  assert.equal(empty.body.nextCursor, null)
  const unknown = await getJson<TradesBody>(api.url, '/api/trades?symbol=NOPE/USD')
  assert.deepEqual(unknown.body.trades, [])
})

test('bad parameters are 400s naming the parameter', async () => {
  for (const [query, parameter] of [
    ['', 'symbol'],
    ['symbol=BTCUSD', 'symbol'],
    [`symbol=${symbol}&limit=-1`, 'limit'],
    [`symbol=${symbol}&cursor=${Buffer.from('"2026-01-01T00:00:00Z"').toString('base64url')}`, 'cursor'],
    [`symbol=${symbol}&side=buy`, 'side']
  ] as const) {
    const { status, body } = await getJson<{ parameter: string }>(api.url, `/api/trades?${query}`)
    assert.equal(status, 400, query)
    assert.equal(body.parameter, parameter, query)
  }
})
