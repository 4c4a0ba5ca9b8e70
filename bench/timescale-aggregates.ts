/**
 * `node bench/timescale-aggregates.ts`: would TimescaleDB continuous aggregates serve the long
 * intervals (1h, 1d over months) better than the candles the analytics job writes today?
 *
 * On a scratch database with the TimescaleDB layer: BENCH_DAYS (90) days of one symbol's trades,
 * BENCH_TRADES_PER_DAY (20,000) a day, written by the project's trade writer; the 1h and 1d candles
 * the analytics job would have upserted meanwhile (computed here in one statement); chunks older than
 * a week compressed by the layer's policy job. Then, for 1h and 1d:
 *
 * - reads: the API's candle query (listCandles: the newest 500 buckets, and 30 days from a start) on
 *   the `candles` table, and the same query on a continuous aggregate over the trades;
 * - keeping each up to date for one more hour of trades: the aggregate's refresh of that hour (what
 *   its policy would run), beside what the analytics job already does per trade (bench:analytics);
 * - a full refresh of the aggregate over the whole history (what creating one costs), and the
 *   aggregation straight from the raw trades (what neither would have to do on a read).
 *
 * Needs a PostgreSQL with TimescaleDB preloaded (DATABASE_URL's server; see docs/operations.md).
 */
import { availableParallelism, cpus } from 'node:os'
import pg from 'pg'
import { silentLogger } from '../src/log/logger.ts'
import { migrate } from '../src/store/migrator.ts'
import { PostgresDatabase } from '../src/store/postgres/postgres-database.ts'
import { listCandles } from '../src/store/queries/candles.ts'
import { applyTimescaleLayer } from '../src/store/timescale/timescale-layer.ts'
import { writeTrades } from '../src/store/writers/trades.ts'
import type { TradeV1 } from '../src/schemas/trade.v1.ts'
import { microsToIso } from '../src/lib/event-time.ts'

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback)
const DAYS = env('BENCH_DAYS', 90)
const PER_DAY = env('BENCH_TRADES_PER_DAY', 20_000)
const READS = env('BENCH_READS', 200)
const SYMBOL = 'BTC/USD'
const DAY_MS = 86_400_000
const adminUrl = process.env.DATABASE_URL ?? 'postgres://cryptoviz:cryptoviz@127.0.0.1:5432/cryptoviz'

const INTERVALS = [
  { name: '1h', width: '1 hour' },
  { name: '1d', width: '1 day' }
] as const

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

async function repeat(fn: () => Promise<unknown>): Promise<string> {
  for (let i = 0; i < 10; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < READS; i++) times.push(await timed(fn))
  times.sort((a, b) => a - b)
  return `p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`
}

/** A day of trades: ids consecutive, prices a walk, sides alternating by chance. */
function tradesOfDay(day: number, firstId: number, start: number): TradeV1[] {
  const trades: TradeV1[] = []
  let price = 9_000_000 + ((day * 7_919) % 2_000_000)
  for (let i = 0; i < PER_DAY; i++) {
    price += Math.round((Math.random() - 0.5) * 400)
    const ts = (start + Math.floor((i * DAY_MS) / PER_DAY)) * 1_000 + (i % 1_000)
    trades.push({
      v: 1,
      type: 'trade',
      exchange: 'kraken',
      symbol: SYMBOL,
      tradeId: firstId + i,
      price: `${Math.floor(price / 100)}.${String(price % 100).padStart(2, '0')}000`,
      qty: `0.${String(1 + Math.floor(Math.random() * 99_999_999)).padStart(8, '0')}`,
      side: Math.random() < 0.5 ? 'buy' : 'sell',
      ordType: 'limit',
      exchangeTs: microsToIso(ts),
      receivedAt: microsToIso(ts + 5_000),
      source: 'ws'
    })
  }
  return trades
}

/** The candle columns, computed from trades: the analytics job's rows, or the aggregate's. */
const aggregateColumns = (width: string): string => `symbol, time_bucket('${width}', ts) as bucket,
  first(price, ts) as open, max(price) as high, min(price) as low, last(price, ts) as close,
  sum(qty) as volume, sum(price * qty) as quote_volume, count(*)::int as trades,
  sum(qty) filter (where side = 'buy') as buy_volume, sum(qty) filter (where side = 'sell') as sell_volume,
  min(trade_id) as first_trade_id, max(trade_id) as last_trade_id`

async function main(): Promise<void> {
  const name = `bench_tsagg_${process.pid}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const db = new PostgresDatabase({ url: url.toString(), log: silentLogger(), poolSize: 4 })
  try {
    await migrate(db)
    const layer = await applyTimescaleLayer(db, {
      mode: 'on',
      rawRetentionDays: 0,
      aggregateRetentionDays: 0,
      compressAfterDays: 7
    })
    const cpu = cpus()[0]?.model ?? 'unknown CPU'
    console.log(`availableParallelism() = ${availableParallelism()}, ${cpu}, Node ${process.version}`)
    console.log(`${layer.reason}; ${DAYS} days × ${PER_DAY.toLocaleString('en')} trades of ${SYMBOL}`)

    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS
    const first = today - DAYS * DAY_MS
    const writeMs = await timed(async () => {
      for (let d = 0; d < DAYS; d++) {
        const trades = tradesOfDay(d, d * PER_DAY + 1, first + d * DAY_MS)
        for (let i = 0; i < trades.length; i += 5_000) await writeTrades(db, trades.slice(i, i + 5_000))
      }
    })
    console.log(`trades written in ${(writeMs / 1000).toFixed(1)} s`)

    for (const { name: interval, width } of INTERVALS) {
      await db.query(
        `insert into candles (symbol, interval, bucket, open, high, low, close, volume, quote_volume, vwap, trades,
                              buy_volume, sell_volume, first_trade_id, last_trade_id)
         select symbol, $1, bucket, open, high, low, close, volume, quote_volume, round(quote_volume / volume, 11),
                trades, coalesce(buy_volume, 0), coalesce(sell_volume, 0), first_trade_id, last_trade_id
           from (select ${aggregateColumns(width)} from trades group by 1, 2) c`,
        [interval]
      )
    }
    const from = new Date(first + 30 * DAY_MS).toISOString()
    const windows = (interval: string) => [
      { label: 'newest 500', window: { limit: 500 } },
      { label: '30 days from a start', window: { from, limit: interval === '1h' ? 720 : 30 } }
    ]
    const uncompressed: Record<string, string> = {}
    for (const { name: interval } of INTERVALS) {
      for (const { label, window } of windows(interval)) {
        uncompressed[`${interval} ${label}`] = await repeat(() =>
          listCandles(db, { symbol: SYMBOL, interval, ...window })
        )
      }
    }
    for (const table of ['trades', 'candles']) {
      const { rows } = await db.query<{ id: number }>(
        "select job_id as id from timescaledb_information.jobs where hypertable_name = $1 and proc_name = 'policy_compression'",
        [table]
      )
      await db.query(`call run_job(${Number(rows[0]?.id)})`)
    }

    const created: Record<string, number> = {}
    for (const { name: interval, width } of INTERVALS) {
      await db.query(
        `create materialized view candles_agg_${interval} with (timescaledb.continuous, timescaledb.materialized_only = true) as
           select ${aggregateColumns(width)} from trades group by 1, 2 with no data`
      )
      created[interval] = await timed(() =>
        db.query(`call refresh_continuous_aggregate('candles_agg_${interval}', null, null)`)
      )
    }

    const { rows: sizes } = await db.query<{ name: string; bytes: string }>(
      `select 'trades' as name, hypertable_size('trades')::text as bytes
       union all select 'candles', hypertable_size('candles')::text
       union all select 'candles_agg_' || v, hypertable_size(format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name))::text
         from timescaledb_information.continuous_aggregates, unnest(array['1h', '1d']) v
        where view_name = 'candles_agg_' || v`
    )
    console.log(
      '\nsizes:',
      sizes.map(s => `${s.name} ${(Number(s.bytes) / 2 ** 20).toFixed(1)} MiB`).join(', ')
    )

    console.log(
      '\n| interval | read | `candles` (analytics job), uncompressed | `candles`, chunks > 7 days compressed | continuous aggregate |'
    )
    console.log('|---|---|---|---|---|')
    for (const { name: interval } of INTERVALS) {
      const aggregateRead = (window: { from?: string; limit: number }) => () =>
        db.query(
          `select bucket, open, high, low, close, volume, quote_volume, trades, buy_volume, sell_volume
             from candles_agg_${interval}
            where symbol = $1${window.from === undefined ? '' : ' and bucket >= $3::timestamptz'}
            order by bucket ${window.from === undefined ? 'desc' : 'asc'} limit $2`,
          window.from === undefined ? [SYMBOL, window.limit] : [SYMBOL, window.limit + 1, window.from]
        )
      for (const { label, window } of windows(interval)) {
        const compressed = await repeat(() => listCandles(db, { symbol: SYMBOL, interval, ...window }))
        console.log(
          `| ${interval} | ${label} | ${uncompressed[`${interval} ${label}`]} | ${compressed} | ${await repeat(aggregateRead(window))} |`
        )
      }
    }

    // One more hour of trades, then what keeping the aggregates current costs for it.
    const hour = tradesOfDay(DAYS, DAYS * PER_DAY + 1, today).slice(0, Math.ceil(PER_DAY / 24))
    await writeTrades(db, hour)
    console.log('\nkeeping up with one more hour of trades (' + hour.length + ' trades):')
    for (const { name: interval, width } of INTERVALS) {
      const ms = await timed(() =>
        db.query(
          `call refresh_continuous_aggregate('candles_agg_${interval}', $1::timestamptz - interval '${width}', $1::timestamptz + interval '${width}')`,
          [new Date(today).toISOString()]
        )
      )
      console.log(`  refresh of candles_agg_${interval} for that hour: ${ms.toFixed(0)} ms`)
    }
    for (const { name: interval } of INTERVALS) {
      console.log(
        `  full refresh of candles_agg_${interval} over ${DAYS} days (creating it): ${(created[interval] ?? NaN).toFixed(0)} ms`
      )
    }
    for (const { name: interval, width } of INTERVALS) {
      const ms = await timed(() =>
        db.query(
          `select ${aggregateColumns(width)} from trades where symbol = $1 and ts >= $2::timestamptz group by 1, 2`,
          [SYMBOL, new Date(first + (DAYS - 30) * DAY_MS).toISOString()]
        )
      )
      console.log(
        `  ${interval} candles of the last 30 days aggregated from raw trades on each read: ${ms.toFixed(0)} ms`
      )
    }
  } finally {
    await db.close()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

await main()
