/** Spread and mid per interval from tickers, overwritten with each bucket's complete new state. */
import type { Queryable } from '../database.ts'
import { columns } from './sql-arrays.ts'

export interface SpreadRow {
  symbol: string
  interval: string
  bucket: string
  midClose: string
  spreadClose: string
  spreadAvgBps: number
  spreadMaxBps: number
  samples: number
  /** Event time of the ticker that set the close (migration 002). */
  closeTs: string
  /** Exact float sum behind the average (migration 002). */
  spreadSumBps: number
}

const UPSERT = `insert into spreads (symbol, interval, bucket, mid_close, spread_close, spread_avg_bps,
  spread_max_bps, samples, close_ts, spread_sum_bps)
select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::numeric[], $5::numeric[],
  $6::float8[], $7::float8[], $8::int4[], $9::timestamptz[], $10::float8[])
on conflict (symbol, interval, bucket) do update set mid_close = excluded.mid_close,
  spread_close = excluded.spread_close, spread_avg_bps = excluded.spread_avg_bps,
  spread_max_bps = excluded.spread_max_bps, samples = excluded.samples, close_ts = excluded.close_ts,
  spread_sum_bps = excluded.spread_sum_bps`

export async function writeSpreads(q: Queryable, rows: readonly SpreadRow[]): Promise<void> {
  if (rows.length === 0) return
  const params = columns(rows, 10, r => [
    r.symbol,
    r.interval,
    r.bucket,
    r.midClose,
    r.spreadClose,
    r.spreadAvgBps,
    r.spreadMaxBps,
    r.samples,
    r.closeTs,
    r.spreadSumBps
  ])
  await q.query(UPSERT, params)
}

/** The most recent `limit` spread buckets of each (symbol, interval), oldest first. */
export async function recentSpreads(
  q: Queryable,
  symbols: readonly string[],
  intervals: readonly string[],
  limit: number
): Promise<SpreadRow[]> {
  if (symbols.length === 0) return []
  const { rows } = await q.query<SpreadRow>(
    `select p.symbol, p.interval, p.bucket, p.mid_close as "midClose", p.spread_close as "spreadClose",
            p.spread_avg_bps as "spreadAvgBps", p.spread_max_bps as "spreadMaxBps", p.samples,
            coalesce(p.close_ts, p.bucket) as "closeTs",
            coalesce(p.spread_sum_bps, p.spread_avg_bps * p.samples) as "spreadSumBps"
       from unnest($1::text[]) s(symbol) cross join unnest($2::text[]) i(interval)
       cross join lateral (select * from spreads
                            where symbol = s.symbol and interval = i.interval
                            order by bucket desc limit $3) p
      order by p.symbol, p.interval, p.bucket`,
    [symbols, intervals, limit]
  )
  return rows
}
