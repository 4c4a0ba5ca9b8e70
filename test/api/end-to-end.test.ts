/**
 * The whole read side on the real write path: records published to Kafka, stored by the ingest and
 * analytics roles, announced through Redis, served by two API instances over REST and WebSocket.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type TestApi, getJson, startTestApi } from '../helpers/api.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts'
import { uniqueName } from '../helpers/names.ts'
import { uniqueSymbol } from '../helpers/seed.ts'
import { waitFor } from '../helpers/wait.ts'
import { connect, subscribe } from '../helpers/ws-client.ts'

let database: TestDatabase
let pipeline: Pipeline
let first: TestApi
let second: TestApi

before(async () => {
  database = await createTestDatabase()
  pipeline = await startPipeline({ databaseUrl: database.url, analytics: true })
  // Two instances of one deployment: one database, one cache.
  const cacheKeyPrefix = uniqueName('e2e')
  first = await startTestApi({ db: database.db, cacheKeyPrefix })
  second = await startTestApi({ db: database.db, cacheKeyPrefix })
})

after(async () => {
  await Promise.all([first?.close(), second?.close()])
  await pipeline?.stop()
  await database?.drop()
})

test('a trade published to Kafka reaches live clients of both instances within a second of being stored', async () => {
  const symbol = uniqueSymbol()
  const a = await connect(first.wsUrl)
  const b = await connect(second.wsUrl)
  try {
    await subscribe(a, [`trades:${symbol}`])
    await subscribe(b, [`trades:${symbol}`])
    await pipeline.trades([{ symbol, tradeId: 7, price: '91234.5' }])
    const isTrade = (m: { type: string; channel?: string }): boolean => m.channel === `trades:${symbol}`
    const [atA, atB] = await Promise.all([a.next(isTrade, 15_000), b.next(isTrade, 15_000)])
    const receivedAt = Date.now()
    for (const message of [atA, atB]) {
      assert.deepEqual(
        (message.data as { tradeId: number; price: string }[]).map(t => [t.tradeId, t.price]),
        [[7, '91234.5']]
      )
      const delay = receivedAt - Date.parse(String(message.storedAt))
      assert.ok(delay < 1_000, `delivered ${delay} ms after being stored`)
    }
    const rest = await getJson<{ trades: { tradeId: number }[] }>(first.url, `/api/trades?symbol=${symbol}`)
    assert.deepEqual(
      rest.body.trades.map(t => t.tradeId),
      [7],
      'and it is in the database the REST API reads'
    )
  } finally {
    await Promise.all([a.close(), b.close()])
  }
})

test('trades become a candle: pushed live on its channel and served by the cached candles endpoint', async () => {
  const symbol = uniqueSymbol()
  const client = await connect(second.wsUrl)
  try {
    await subscribe(client, [`candles:${symbol}:1m`])
    const path = `/api/candles?symbol=${symbol}&interval=1m`
    assert.deepEqual(
      (await getJson<{ candles: unknown[] }>(first.url, path)).body.candles,
      [],
      'empty, and now cached'
    )
    const now = new Date()
    await pipeline.trades(
      ['100.0', '103.5', '99.5', '101.25'].map((price, i) => ({
        symbol,
        tradeId: 100 + i,
        price,
        exchangeTs: new Date(now.getTime() + i).toISOString()
      }))
    )
    await client.next(m => m.type === 'event', 60_000)
    const candle = await waitFor('the candle with all four trades', async () => {
      const { body } = await getJson<{
        candles: { trades: number; open: string; high: string; low: string; close: string }[]
      }>(first.url, path)
      const last = body.candles[body.candles.length - 1]
      return last?.trades === 4 ? last : false
    })
    assert.deepEqual(
      [candle.open, candle.high, candle.low, candle.close].map(Number),
      [100, 103.5, 99.5, 101.25]
    )
  } finally {
    await client.close()
  }
})
