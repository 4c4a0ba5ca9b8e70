/**
 * News impact's cost in the analytics transaction (docs/impact.md): with K articles about one
 * symbol published over the last day, 48 h of its one-minute candles stored and its watermark now,
 * how long refreshImpact takes when the K articles arrive in one batch, when a minute of the symbol
 * closes (every provisional row recomputed from the candles), for a batch of trades with no
 * minute closed and nothing settled, and for a closed minute of a symbol whose rows are all final
 * (every trade-only batch of such a symbol: one probe). PostgreSQL and the embedded PGlite. Figures only; the machine
 * is shared: read the load average printed with them, and run it twice.
 *
 *   npm run bench:impact            # K = 10, 100, 400; ROUNDS=5 per figure (the median is printed)
 */
import { availableParallelism, cpus, loadavg } from 'node:os'
import { refreshImpact } from '../src/jobs/analytics/impact/refresh-impact.ts'
import type { ArticleV1 } from '../src/schemas/article.v1.ts'
import type { Database } from '../src/store/database.ts'
import { migrate } from '../src/store/migrator.ts'
import { PgliteDatabase } from '../src/store/pglite/pglite-database.ts'
import { upsertArticles } from '../src/store/writers/articles.ts'
import { writeJobState } from '../src/store/writers/job-bookkeeping.ts'
import { createTestDatabase } from '../test/helpers/db.ts'
import { article } from '../test/helpers/messages.ts'

const MINUTE = 60_000
const ROUNDS = Number(process.env.ROUNDS ?? 5)
const COUNTS = [10, 100, 400]
const LATENESS_MICROS = 60_000_000
const JOB = 'analytics'
const SYMBOL = 'BTC/USD'
const now = Math.floor(Date.now() / MINUTE) * MINUTE

async function seed(db: Database): Promise<void> {
  // 48 h of one-minute candles: a random walk of closes, volumes from 1 to 5.
  await db.query(
    `insert into candles (symbol, interval, bucket, open, high, low, close, volume, quote_volume, vwap, trades,
       buy_volume, sell_volume, first_trade_id, last_trade_id)
     select $1, '1m', b, c, c, c, c, v, c * v, c, 10, v / 2, v / 2, n * 10, n * 10 + 9
       from (select n, to_timestamp($2::float8 / 1000) - (n || ' minutes')::interval as b,
                    round((100000 + 500 * sin(n / 37.0) + 40 * cos(n * 1.7))::numeric, 1) as c,
                    round((1 + (n % 5))::numeric, 8) as v
               from generate_series(1, 2880) as n) as x`,
    [SYMBOL, now]
  )
  await writeJobState(db, JOB, [
    { topic: 'trades', partition: 0, key: SYMBOL, state: { watermark: now * 1000, seen: [] } }
  ])
}

function articles(k: number, round: number): ArticleV1[] {
  return Array.from({ length: k }, (_, i) =>
    article(`Bench ${k} ${round} ${i}`, {
      publishedAt: new Date(now - Math.floor(((i + 0.5) / k) * 1440) * MINUTE - 17_000).toISOString(),
      coins: [{ code: 'BTC', mentions: 1, inTitle: true }]
    })
  )
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

async function timed(
  db: Database,
  work: Parameters<typeof refreshImpact>[2]
): Promise<{ ms: number; rows: number }> {
  const started = performance.now()
  const rows = await db.transaction(tx =>
    refreshImpact(tx, JOB, work, { latenessMicros: LATENESS_MICROS, trackedSymbols: [] })
  )
  return { ms: performance.now() - started, rows: rows.length }
}

async function run(kind: string, db: Database): Promise<void> {
  await seed(db)
  for (const k of COUNTS) {
    const arrive: number[] = []
    const close: number[] = []
    const quiet: number[] = []
    const none: number[] = []
    let rows = 0
    for (let round = 0; round < ROUNDS; round++) {
      await db.query('delete from article_impact')
      const batch = articles(k, round)
      await upsertArticles(db, batch)
      arrive.push((await timed(db, { articles: batch, watermarksBefore: new Map() })).ms)
      const closed = await timed(db, {
        articles: [],
        watermarksBefore: new Map([[SYMBOL, (now - MINUTE) * 1000]])
      })
      close.push(closed.ms)
      rows = closed.rows
      quiet.push((await timed(db, { articles: [], watermarksBefore: new Map([[SYMBOL, now * 1000]]) })).ms)
      await db.query('update article_impact set final = true')
      none.push(
        (await timed(db, { articles: [], watermarksBefore: new Map([[SYMBOL, (now - MINUTE) * 1000]]) })).ms
      )
    }
    console.log(
      `${kind.padEnd(10)} K=${String(k).padStart(3)}: ${k} articles arrive ${median(arrive).toFixed(1)} ms · ` +
        `a minute closes (${rows} rows recomputed) ${median(close).toFixed(1)} ms · ` +
        `trades, nothing settled ${median(quiet).toFixed(1)} ms · a minute closes, no provisional row ${median(none).toFixed(1)} ms`
    )
  }
}

console.log(
  `impact benchmark: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'cpu'}), Node ${process.version}, ` +
    `load ${loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}; medians of ${ROUNDS}`
)
const postgres = await createTestDatabase()
try {
  await run('postgres', postgres.db)
} finally {
  await postgres.drop()
}
const pglite = await PgliteDatabase.open()
try {
  await migrate(pglite)
  await run('pglite', pglite)
} finally {
  await pglite.close()
}
