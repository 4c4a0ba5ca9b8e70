/**
 * /api/candles over both kinds of candle: where the pipeline built a candle from trades it wins,
 * where only the exchange's own OHLC exists that is shown and marked as such; a bucket is never
 * counted twice, and paging runs across both. On PostgreSQL and on the embedded PGlite alike.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Database } from '../../src/store/database.ts'
import { migrate } from '../../src/store/migrator.ts'
import { PgliteDatabase } from '../../src/store/pglite/pglite-database.ts'
import { writeExchangeCandles } from '../../src/store/writers/exchange-feeds.ts'
import { getJson, startTestApi } from '../helpers/api.ts'
import { createTestDatabase } from '../helpers/db.ts'
import { ohlc } from '../helpers/messages.ts'
import { uniqueSymbol, upsertCandle } from '../helpers/seed.ts'

interface Candle {
  bucket: string
  close: string
  volume: string
  quoteVolume: string
  trades: number
  buyVolume?: string
  sellVolume?: string
  source: 'trades' | 'exchange'
}
interface Body {
  candles: Candle[]
  nextCursor: string | null
}

const minute = (i: number): string =>
  new Date(Date.UTC(2026, 10, 25, 14, i)).toISOString().replace('.000Z', 'Z')
const hour = (i: number): string => new Date(Date.UTC(2026, 10, 25, i)).toISOString().replace('.000Z', 'Z')
const nanos = (iso: string): string => iso.replace('Z', '.000000000Z')

/** Kraken's candles for minutes 0–5 and hours 10–12; the pipeline's own for minutes 2–4 and hour 12. */
async function seed(db: Database, symbol: string): Promise<void> {
  await writeExchangeCandles(db, [
    ...[0, 1, 2, 3, 4, 5].map(i =>
      ohlc({
        symbol,
        interval: 1,
        intervalBegin: nanos(minute(i)),
        close: `${900 + i}.0`,
        vwap: '900.5',
        volume: '2.00000000',
        trades: 40,
        final: true
      })
    ),
    ...[10, 11, 12].map(i =>
      ohlc({
        symbol,
        interval: 60,
        intervalBegin: nanos(hour(i)),
        close: `${800 + i}.0`,
        trades: 500,
        final: true
      })
    )
  ])
  for (const i of [2, 3, 4])
    await upsertCandle(db, { symbol, interval: '1m', bucket: minute(i), close: `${100 + i}.5`, trades: 7 })
  await upsertCandle(db, { symbol, interval: '1h', bucket: hour(12), close: '112.5', trades: 7 })
}

for (const kind of ['postgres', 'pglite'] as const) {
  test(`${kind}: trade candles win where both exist, the exchange's fill the rest, each bucket once and marked`, async () => {
    const opened =
      kind === 'postgres'
        ? await createTestDatabase()
        : await (async () => {
            const db = await PgliteDatabase.open()
            await migrate(db)
            return { db, drop: () => db.close() }
          })()
    const api = await startTestApi({ db: opened.db, cache: 'memory' })
    const symbol = uniqueSymbol()
    try {
      await seed(opened.db, symbol)
      const { status, body } = await getJson<Body>(
        api.url,
        `/api/candles?symbol=${symbol}&interval=1m&limit=50`
      )
      assert.equal(status, 200)
      assert.deepEqual(
        body.candles.map(c => [c.bucket, c.source, c.close, c.trades]),
        [
          [minute(0), 'exchange', '900.0', 40],
          [minute(1), 'exchange', '901.0', 40],
          [minute(2), 'trades', '102.5', 7],
          [minute(3), 'trades', '103.5', 7],
          [minute(4), 'trades', '104.5', 7],
          [minute(5), 'exchange', '905.0', 40]
        ]
      )
      const volume = body.candles.reduce((sum, c) => sum + Number(c.volume), 0)
      assert.equal(
        volume,
        3 * 2 + 3 * 2,
        'three trade candles of 2 and three exchange candles of 2: nothing added twice'
      )
      const exchange = body.candles[0]
      assert.equal(exchange?.buyVolume, undefined, 'the exchange gives no taker split')
      assert.equal(Number(exchange?.quoteVolume), 900.5 * 2, 'quote volume is VWAP × volume')
      assert.equal(body.candles[2]?.buyVolume, '1.25')

      const hours = await getJson<Body>(api.url, `/api/candles?symbol=${symbol}&interval=1h`)
      assert.deepEqual(
        hours.body.candles.map(c => [c.bucket, c.source, c.close]),
        [
          [hour(10), 'exchange', '810.0'],
          [hour(11), 'exchange', '811.0'],
          [hour(12), 'trades', '112.5']
        ],
        "the 1h chart reads Kraken's 60-minute candles"
      )

      const paged: string[] = []
      let query = `interval=1m&from=${minute(0)}&limit=2`
      for (let page = 0; page < 5; page++) {
        const { body: next } = await getJson<Body>(api.url, `/api/candles?symbol=${symbol}&${query}`)
        paged.push(...next.candles.map(c => `${c.bucket} ${c.source}`))
        if (next.nextCursor === null) break
        query = `interval=1m&from=${minute(0)}&limit=2&cursor=${next.nextCursor}`
      }
      assert.deepEqual(
        paged,
        body.candles.map(c => `${c.bucket} ${c.source}`),
        'pages cover both kinds, every bucket once'
      )
    } finally {
      await api.close()
      await opened.drop()
    }
  })
}
