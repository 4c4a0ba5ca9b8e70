// What only TimescaleDB does, on a real server with the extension: daily and weekly chunks, the
// compression (columnstore) and retention policies run as jobs, late and redelivered writes into
// compressed chunks, and the project's queries reading across compressed and uncompressed chunks.
// Each read is compared with a second database holding the same writes without the layer (plain
// PostgreSQL), which is what TIMESCALE=off or a server without the extension runs.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { microsToIso } from '../../src/lib/event-time.ts'
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'
import type { Database, Queryable } from '../../src/store/database.ts'
import { listCandles, type SeriesQuery } from '../../src/store/queries/candles.ts'
import { dataFreshness } from '../../src/store/queries/freshness.ts'
import type { Before } from '../../src/store/queries/params.ts'
import { listPressure } from '../../src/store/queries/pressure.ts'
import { listSymbols } from '../../src/store/queries/symbols.ts'
import { listTrades } from '../../src/store/queries/trades.ts'
import {
  type TimescaleOptions,
  applyTimescaleLayer,
  hypertables
} from '../../src/store/timescale/timescale-layer.ts'
import { readTimescaleSupport } from '../../src/store/timescale/timescale-support.ts'
import { type CandleRow, recentCandles, writeCandles } from '../../src/store/writers/candles.ts'
import { insertTradesInTransaction, writeTrades } from '../../src/store/writers/trades.ts'
import {
  type TestDatabase,
  createTestDatabase,
  storedTrades,
  testWithoutTimescale,
  timescaleDefaults,
  timescaleUnavailable
} from '../helpers/db.ts'
import { seededRandom, syntheticTrades } from '../helpers/synthetic-trades.ts'
import { waitFor } from '../helpers/wait.ts'

const DAY = 86_400_000_000
const SYMBOLS = ['BTC/USD', 'ETH/USD']
/** Midnight UTC today, in µs: the data ends before it, so no chunk is still being written. */
const today = Math.floor(Date.now() / 86_400_000) * DAY

interface Chunk {
  /** The chunk's table, schema-qualified. */
  table: string
  start: string
  end: string
  compressed: boolean
  /** The chunk ends at or before now() minus COMPRESS_AFTER_DAYS: the policy compresses it. */
  due: boolean
}

async function chunks(db: Queryable, table: string, olderThanDays = timescaleDefaults.compressAfterDays) {
  const { rows } = await db.query<Chunk>(
    `select format('%I.%I', chunk_schema, chunk_name) as table, range_start as start, range_end as "end", is_compressed as compressed,
            range_end <= now() - make_interval(days => $2) as due
       from timescaledb_information.chunks where hypertable_name = $1 order by range_start`,
    [table, olderThanDays]
  )
  return rows
}

/** Rows of a chunk stored in its own table (ONLY): those not (yet) moved into the columnstore. */
async function uncompressedRows(db: Queryable, chunk: Chunk): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select count(*) as n from only ${chunk.table}`)
  return rows[0]?.n ?? -1
}

/** Runs a table's policy job now, in this session, as its schedule would (no waiting for it). */
async function runPolicy(db: Queryable, table: string, proc: 'policy_compression' | 'policy_retention') {
  const { rows } = await db.query<{ id: number }>(
    'select job_id as id from timescaledb_information.jobs where hypertable_name = $1 and proc_name = $2',
    [table, proc]
  )
  assert.equal(rows.length, 1, `one ${proc} job for ${table}`)
  await db.query(`call run_job(${Number(rows[0]?.id)})`)
}

/** `days` days of trades per symbol ending yesterday, each day's trades inside that day. */
function tradesOverDays(days: number, perDay = 40): TradeV1[] {
  const trades: TradeV1[] = []
  for (const [s, symbol] of SYMBOLS.entries()) {
    for (let d = days; d >= 1; d--) {
      trades.push(
        ...syntheticTrades({
          symbol,
          count: perDay,
          startMicros: today - d * DAY + 60_000_000,
          seed: d * 10 + s,
          firstId: (days - d) * 1_000 + 1,
          // 40 gaps of at most 40 min stay well inside the day.
          maxGapMicros: 40 * 60_000_000
        })
      )
    }
  }
  return trades
}

/** A database with the TimescaleDB layer and one without, given the same writes by `write`. */
async function pair(
  options: TimescaleOptions,
  body: (ts: Database, plain: Database) => Promise<void>
): Promise<void> {
  const created: TestDatabase[] = []
  try {
    const timescale = await createTestDatabase({ timescale: options })
    created.push(timescale)
    const plain = await createTestDatabase()
    created.push(plain)
    await body(timescale.db, plain.db)
  } finally {
    await Promise.all(created.map(d => d.drop()))
  }
}

/** Every page of a symbol's trades, newest first, through the API's keyset cursor. */
async function allTradePages(db: Queryable, symbol: string, range: { from?: string; to?: string } = {}) {
  const pages = []
  let before: Before | undefined
  for (;;) {
    const page = await listTrades(db, { symbol, limit: 37, ...range, before })
    pages.push(page)
    const last = page.items.at(-1)
    if (!page.hasMore || last === undefined) return pages
    before = { time: last.ts, id: String(last.tradeId) }
  }
}

/** The reads the API serves from trades, on both databases: they must be equal. */
async function assertTradeReadsEqual(
  ts: Database,
  plain: Database,
  ranges: { from?: string; to?: string }[]
) {
  for (const symbol of SYMBOLS) {
    for (const range of [{}, ...ranges]) {
      assert.deepEqual(
        await allTradePages(ts, symbol, range),
        await allTradePages(plain, symbol, range),
        `${symbol} trades ${JSON.stringify(range)}`
      )
    }
  }
  assert.deepEqual(await dataFreshness(ts), await dataFreshness(plain))
  assert.deepEqual(await listSymbols(ts), await listSymbols(plain))
  assert.deepEqual(await storedTrades(ts), await storedTrades(plain))
}

const dayIso = (daysAgo: number): string => microsToIso(today - daysAgo * DAY)

const unavailable = await timescaleUnavailable()

if (unavailable !== undefined) {
  testWithoutTimescale('timescale: hypertables, policies and reads across compressed chunks', unavailable)
} else {
  test('the layer makes every time-series table a hypertable with a compression policy, and retention only where configured', async () => {
    const database = await createTestDatabase({
      timescale: { ...timescaleDefaults, rawRetentionDays: 30, aggregateRetentionDays: 0 }
    })
    try {
      const { db } = database
      assert.deepEqual(await readTimescaleSupport(db), { available: true, preloaded: true, created: true })
      const { rows: tables } = await db.query<{ name: string }>(
        'select hypertable_name as name from timescaledb_information.hypertables order by 1'
      )
      assert.deepEqual(
        tables.map(t => t.name),
        hypertables.map(h => h.table).sort()
      )
      const { rows: jobs } = await db.query<{ table: string; proc: string }>(
        `select hypertable_name as table, proc_name as proc from timescaledb_information.jobs
          where hypertable_name is not null order by 1, 2`
      )
      const expected = hypertables
        .flatMap(h => [
          { table: h.table, proc: 'policy_compression' },
          ...(h.raw ? [{ table: h.table, proc: 'policy_retention' }] : [])
        ])
        .sort((a, b) => (a.table === b.table ? a.proc.localeCompare(b.proc) : a.table.localeCompare(b.table)))
      assert.deepEqual(jobs, expected)
      const { rows: uncovered } = await db.query<{ table: string; column: string }>(
        `select c.relname as table, a.attname as column
           from pg_index i join pg_class c on c.oid = i.indrelid
           join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indisprimary and c.relname = any($1::text[])
            and not exists (select 1 from timescaledb_information.compression_settings s
                             where s.hypertable_name = c.relname and s.attname = a.attname)`,
        [hypertables.map(h => h.table)]
      )
      assert.deepEqual(uncovered, [], 'every key column is a compression segment or order column')
    } finally {
      await database.drop()
    }
  })

  test('trades over ten days land in ten daily chunks; the compression job compresses those older than seven days, and reads across both equal plain PostgreSQL', async () => {
    await pair(timescaleDefaults, async (ts, plain) => {
      const trades = tradesOverDays(10)
      assert.equal(await writeTrades(ts, trades), trades.length)
      assert.equal(await writeTrades(plain, trades), trades.length)
      assert.equal((await chunks(ts, 'trades')).length, 10)

      await runPolicy(ts, 'trades', 'policy_compression')
      const after = await chunks(ts, 'trades')
      assert.deepEqual(
        after.map(c => c.compressed),
        after.map(c => c.due),
        'exactly the chunks older than COMPRESS_AFTER_DAYS are compressed'
      )
      assert.ok(after.some(c => c.compressed) && after.some(c => !c.compressed), 'both kinds of chunk')

      await assertTradeReadsEqual(ts, plain, [
        { from: dayIso(9), to: dayIso(2) },
        { from: dayIso(10), to: dayIso(7) },
        { to: dayIso(6) }
      ])
    })
  })

  test('late and redelivered trades written into a compressed chunk are stored once, by the ingest writer and by the ON CONFLICT writer', async () => {
    await pair(timescaleDefaults, async (ts, plain) => {
      const trades = tradesOverDays(10)
      await writeTrades(ts, trades)
      await writeTrades(plain, trades)
      await runPolicy(ts, 'trades', 'policy_compression')
      const compressed = (await chunks(ts, 'trades')).find(c => c.compressed)
      assert.ok(compressed !== undefined, 'a compressed chunk')
      assert.equal(await uncompressedRows(ts, compressed), 0, 'all its rows are in the columnstore')

      // A batch as a redelivery after a crash brings it: trades already stored in the compressed
      // chunk, and trades of that day seen for the first time (late, from a REST backfill).
      const inChunk = trades.filter(t => t.exchangeTs >= compressed.start && t.exchangeTs < compressed.end)
      assert.ok(inChunk.length > 0)
      const random = seededRandom(7)
      const late = inChunk.slice(0, 15).map(t => ({
        ...t,
        tradeId: t.tradeId + 500,
        price: `${(90_000 + Math.floor(random() * 20_000)).toString()}.00000`
      }))
      const batch = [...inChunk.slice(0, 25), ...late]
      for (const db of [ts, plain]) {
        const inserted = await db.transaction(tx => insertTradesInTransaction(tx, batch))
        assert.equal(inserted, late.length, 'the ingest writer stores only the late trades')
        assert.equal(await writeTrades(db, batch), 0, 'a second redelivery adds nothing')
      }
      await assertTradeReadsEqual(ts, plain, [{ from: compressed.start, to: compressed.end }])
      assert.equal(await uncompressedRows(ts, compressed), late.length, 'the late rows went in uncompressed')

      // The next run of the policy compresses the rows that went in uncompressed; still the same reads.
      await runPolicy(ts, 'trades', 'policy_compression')
      const again = await chunks(ts, 'trades')
      assert.ok(again.find(c => c.start === compressed.start)?.compressed)
      assert.equal(await uncompressedRows(ts, compressed), 0, 'the late rows are compressed too')
      await assertTradeReadsEqual(ts, plain, [{ from: compressed.start, to: compressed.end }])
    })
  })

  test('the retention job drops the chunks older than RETENTION_DAYS_RAW; what remains reads as plain PostgreSQL from that day on', async () => {
    await pair({ ...timescaleDefaults, rawRetentionDays: 5 }, async (ts, plain) => {
      const trades = tradesOverDays(10)
      await writeTrades(ts, trades)
      await writeTrades(plain, trades)
      await runPolicy(ts, 'trades', 'policy_compression')
      await runPolicy(ts, 'trades', 'policy_retention')
      const kept = await chunks(ts, 'trades', 5)
      assert.ok(kept.length > 0 && kept.length < 10, `some chunks dropped, some kept (${kept.length})`)
      assert.ok(
        kept.every(c => !c.due),
        'every chunk ending more than five days ago is dropped'
      )
      const oldest = kept[0]?.start ?? ''
      for (const symbol of SYMBOLS) {
        assert.deepEqual(
          await allTradePages(ts, symbol),
          await allTradePages(plain, symbol, { from: oldest }),
          `${symbol}: exactly the trades from ${oldest} on`
        )
      }
      const { rows } = await ts.query<{ n: number }>(
        "select count(*) as n from timescaledb_information.jobs where proc_name = 'policy_retention' and hypertable_name = 'candles'"
      )
      assert.equal(rows[0]?.n, 0, 'candles are kept forever when RETENTION_DAYS_AGGREGATES is 0')
    })
  })

  test('candles over nine weeks sit in weekly chunks; rewriting candles inside compressed chunks and every candle read equal plain PostgreSQL', async () => {
    await pair(timescaleDefaults, async (ts, plain) => {
      const candles = candlesOverDays(63)
      await writeCandles(ts, candles)
      await writeCandles(plain, candles)
      await runPolicy(ts, 'candles', 'policy_compression')
      const weekly = await chunks(ts, 'candles')
      assert.ok(weekly.length >= 9, `weekly chunks (${weekly.length})`)
      assert.ok(weekly.filter(c => c.compressed).length >= 7, 'the chunks older than a week are compressed')

      // A late trade changes candles already written: the analytics job upserts their new state.
      const rewritten = candles
        .filter((_, i) => i % 17 === 0)
        .map(c => ({ ...c, close: c.high, volume: `${c.volume}1`, trades: c.trades + 1 }))
      await writeCandles(ts, rewritten)
      await writeCandles(plain, rewritten)

      for (const symbol of SYMBOLS) {
        for (const interval of ['1h', '1d']) {
          const queries: SeriesQuery[] = [
            { limit: 500 },
            { limit: 100, from: dayIso(63), to: dayIso(30) },
            { limit: 1000, from: dayIso(40) },
            { limit: 48, to: dayIso(20) }
          ]
          for (const query of queries) {
            assert.deepEqual(
              await listCandles(ts, { symbol, interval, ...query }),
              await listCandles(plain, { symbol, interval, ...query }),
              `${symbol} ${interval} candles ${JSON.stringify(query)}`
            )
          }
          const pressure = { symbols: SYMBOLS, interval, limit: 200, from: dayIso(50), to: dayIso(3) }
          assert.deepEqual(await listPressure(ts, pressure), await listPressure(plain, pressure))
        }
      }
      assert.deepEqual(
        await recentCandles(ts, SYMBOLS, ['1h', '1d'], 30),
        await recentCandles(plain, SYMBOLS, ['1h', '1d'], 30)
      )
      assert.deepEqual(await dataFreshness(ts), await dataFreshness(plain))
    })
  })

  test('the background scheduler runs a policy job by itself and records it as a success', async () => {
    // The path TimescaleDB's scheduler takes, not run_job's: on PostgreSQL 15.20 it failed every job
    // after its work was done until scripts/lib/timescaledb-patches/2.28.3 was applied.
    const database = await createTestDatabase({ timescale: timescaleDefaults })
    try {
      const { db } = database
      await writeTrades(db, tradesOverDays(10))
      const { rows } = await db.query<{ id: number }>(
        "select job_id as id from timescaledb_information.jobs where hypertable_name = 'trades' and proc_name = 'policy_compression'"
      )
      const id = Number(rows[0]?.id)
      // The scheduler may already have run it once, on the empty table, when the layer added it.
      const { rows: asked } = await db.query<{ at: string }>(
        'select next_start as at from alter_job($1, next_start => now())',
        [id]
      )
      const since = asked[0]?.at ?? ''
      const stats = await waitFor('the scheduler to run the compression job again', async () => {
        const { rows: found } = await db.query<{ status: string; failures: number }>(
          `select last_run_status as status, total_failures as failures from timescaledb_information.job_stats
            where job_id = $1 and last_run_started_at >= $2::timestamptz and last_run_status is not null`,
          [id, since]
        )
        return found[0]
      })
      assert.deepEqual({ status: stats.status, failures: stats.failures }, { status: 'Success', failures: 0 })
      const after = await chunks(db, 'trades')
      assert.deepEqual(
        after.map(c => c.compressed),
        after.map(c => c.due)
      )
    } finally {
      await database.drop()
    }
  })

  test('a plain database turned into TimescaleDB keeps its rows in new chunks, and applying the layer again changes nothing', async () => {
    const database = await createTestDatabase()
    try {
      const { db } = database
      const trades = tradesOverDays(3)
      await writeTrades(db, trades)
      assert.equal((await readTimescaleSupport(db)).created, false)
      await applyTimescaleLayer(db, timescaleDefaults)
      assert.equal((await chunks(db, 'trades')).length, 3)
      assert.deepEqual(await storedTrades(db), { rows: trades.length, ids: trades.length })
      const jobs = async (): Promise<unknown> =>
        (
          await db.query(
            'select job_id, hypertable_name, proc_name from timescaledb_information.jobs order by 1'
          )
        ).rows
      const before = await jobs()
      await applyTimescaleLayer(db, { ...timescaleDefaults, mode: 'auto' })
      assert.deepEqual(await jobs(), before)
      assert.equal((await chunks(db, 'trades')).length, 3)
    } finally {
      await database.drop()
    }
  })
}

/** Hourly and daily candles of each symbol for `days` days ending yesterday (a seeded walk). */
function candlesOverDays(days: number): CandleRow[] {
  const rows: CandleRow[] = []
  const decimal = (n: number, places: number): string => (n / 10 ** places).toFixed(places)
  for (const [s, symbol] of SYMBOLS.entries()) {
    const random = seededRandom(100 + s)
    for (const [interval, step] of [
      ['1h', DAY / 24],
      ['1d', DAY]
    ] as const) {
      let price = 5_000_000_000 // 50000.00000
      for (let bucket = today - days * DAY; bucket < today; bucket += step) {
        const open = price
        price = Math.max(100_000, price + Math.round((random() - 0.5) * 20_000_000))
        const high = Math.max(open, price) + Math.round(random() * 5_000_000)
        const low = Math.min(open, price) - Math.round(random() * 5_000_000)
        const buy = Math.round(random() * 1e9)
        const sell = Math.round(random() * 1e9)
        const trades = 2 + Math.floor(random() * 500)
        rows.push({
          symbol,
          interval,
          bucket: microsToIso(bucket),
          open: decimal(open, 5),
          high: decimal(high, 5),
          low: decimal(low, 5),
          close: decimal(price, 5),
          volume: decimal(buy + sell, 8),
          quoteVolume: decimal((buy + sell) * 5, 8),
          vwap: decimal(open, 5),
          trades,
          buyVolume: decimal(buy, 8),
          sellVolume: decimal(sell, 8),
          buyTrades: Math.floor(trades / 2),
          buyQuoteVolume: decimal(buy * 5, 8),
          imbalance: ((buy - sell) / (buy + sell || 1)).toFixed(12),
          firstTradeId: bucket / 1_000_000,
          lastTradeId: bucket / 1_000_000 + trades
        })
      }
    }
  }
  return rows
}
