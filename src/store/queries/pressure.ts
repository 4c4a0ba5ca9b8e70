/**
 * Buy/sell pressure of several symbols at one interval (the `pressure` view over the candles),
 * one series per symbol in the order asked: with a start, up to `limit` buckets from it onwards;
 * without, the newest `limit` buckets before the end. Each series oldest first.
 */
import type { Queryable } from '../database.ts'
import { Params, type TimeRange } from './params.ts'

export interface PressurePoint {
  bucket: string
  buyVolume: string
  sellVolume: string
  /** (buy − sell) / (buy + sell) base volume, exact decimal text in [−1, 1]. */
  imbalance: string
  /** Null for buckets stored before per-side counts were kept. */
  buyTrades: number | null
  sellTrades: number | null
  buyQuoteVolume: string | null
  sellQuoteVolume: string | null
}

export interface PressureSeries {
  symbol: string
  points: PressurePoint[]
}

export async function listPressure(
  db: Queryable,
  query: TimeRange & { symbols: readonly string[]; interval: string; limit: number }
): Promise<PressureSeries[]> {
  const params = new Params()
  const symbols = params.add(query.symbols, 'text[]')
  const interval = params.add(query.interval)
  const conditions: string[] = []
  if (query.from !== undefined) conditions.push(`bucket >= ${params.add(query.from, 'timestamptz')}`)
  if (query.to !== undefined) conditions.push(`bucket < ${params.add(query.to, 'timestamptz')}`)
  const newest = query.from === undefined
  const limit = params.add(query.limit)
  const { rows } = await db.query<PressurePoint & { symbol: string }>(
    `select s.symbol, p.bucket, p.buy_volume as "buyVolume", p.sell_volume as "sellVolume", p.imbalance,
            p.buy_trades as "buyTrades", p.sell_trades as "sellTrades",
            p.buy_quote_volume as "buyQuoteVolume", p.sell_quote_volume as "sellQuoteVolume"
       from unnest(${symbols}) with ordinality as s(symbol, ord)
       cross join lateral (
         select * from pressure
          where symbol = s.symbol and interval = ${interval}${conditions.map(c => ` and ${c}`).join('')}
          order by bucket ${newest ? 'desc' : 'asc'} limit ${limit}) p
      order by s.ord, p.bucket`,
    params.values
  )
  const series = query.symbols.map(symbol => ({ symbol, points: [] as PressurePoint[] }))
  for (const { symbol, ...point } of rows) series.find(s => s.symbol === symbol)?.points.push(point)
  return series
}
