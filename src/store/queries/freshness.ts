/**
 * How fresh the stored data is: the newest event time per kind of data. Every probe is one index
 * lookup (trades: one per symbol, through the loose symbol scan), so the pipeline status can ask
 * often.
 */
import type { Queryable } from '../database.ts'
import { knownSymbolsCte } from './symbols.ts'

export interface Freshness {
  trades: string | null
  tickers: string | null
  candles: string | null
  articles: string | null
  sentiment: string | null
  alerts: string | null
}

export async function dataFreshness(db: Queryable): Promise<Freshness> {
  const { rows } = await db.query<Freshness>(
    `${knownSymbolsCte}
     select
       (select max(t.ts) from symbols s
          cross join lateral (select ts from trades where symbol = s.symbol order by ts desc limit 1) t) as trades,
       (select max(ts) from tickers) as tickers,
       (select max(bucket) from candles where interval = '1m') as candles,
       (select max(published_at) from articles) as articles,
       (select max(bucket) from sentiment_series where code = '*') as sentiment,
       (select max(event_ts) from alerts) as alerts`
  )
  return (
    rows[0] ?? { trades: null, tickers: null, candles: null, articles: null, sentiment: null, alerts: null }
  )
}
