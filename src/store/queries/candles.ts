/**
 * Candles and their indicator series. A range with a start is read forwards (oldest first) and paged
 * with `after`; a range without a start gives the newest `limit` candles before its end, still oldest
 * first, which is what a chart loading "the latest window" wants.
 */
import type { Queryable } from '../database.ts'
import type { CandleRow as StoredCandle } from '../writers/candles.ts'
import { type Page, Params, type TimeRange, toPage } from './params.ts'

/** A candle as listed: the stored row (writers/candles.ts) without its key, trade ids or buy-side counts. */
export type CandleRow = Pick<
  StoredCandle,
  | 'bucket'
  | 'open'
  | 'high'
  | 'low'
  | 'close'
  | 'volume'
  | 'quoteVolume'
  | 'vwap'
  | 'trades'
  | 'buyVolume'
  | 'sellVolume'
>

export interface SeriesQuery extends TimeRange {
  limit: number
  /** Continue after this bucket (exclusive), from a previous page. */
  after?: string | undefined
}

/**
 * The WHERE/ORDER/LIMIT tail shared by time series (candles, sentiment): forwards from a start or a
 * cursor, else the newest `limit` before the end.
 */
export function seriesWindow(
  params: Params,
  query: SeriesQuery
): { where: string; tail: string; newest: boolean } {
  const conditions: string[] = []
  if (query.after !== undefined) conditions.push(`bucket > ${params.add(query.after, 'timestamptz')}`)
  else if (query.from !== undefined) conditions.push(`bucket >= ${params.add(query.from, 'timestamptz')}`)
  if (query.to !== undefined) conditions.push(`bucket < ${params.add(query.to, 'timestamptz')}`)
  const newest = query.after === undefined && query.from === undefined
  const limit = params.add(newest ? query.limit : query.limit + 1)
  return {
    where: conditions.map(c => ` and ${c}`).join(''),
    tail: `order by bucket ${newest ? 'desc' : 'asc'} limit ${limit}`,
    newest
  }
}

/** Rows of a series window in ascending order, with whether more follow. */
export function seriesPage<T>(rows: T[], newest: boolean, limit: number): Page<T> {
  return newest ? { items: rows.reverse(), hasMore: false } : toPage(rows, limit)
}

export async function listCandles(
  db: Queryable,
  query: SeriesQuery & { symbol: string; interval: string }
): Promise<Page<CandleRow>> {
  const params = new Params()
  const symbol = params.add(query.symbol)
  const interval = params.add(query.interval)
  const window = seriesWindow(params, query)
  const { rows } = await db.query<CandleRow>(
    `select bucket, open, high, low, close, volume, quote_volume as "quoteVolume", vwap, trades,
            buy_volume as "buyVolume", sell_volume as "sellVolume"
       from candles
      where symbol = ${symbol} and interval = ${interval}${window.where}
      ${window.tail}`,
    params.values
  )
  return seriesPage(rows, window.newest, query.limit)
}

export interface IndicatorPoint {
  bucket: string
  value: number
}

/** Indicator values named `names` for the buckets first..last (inclusive), grouped by name. */
export async function listIndicators(
  db: Queryable,
  query: { symbol: string; interval: string; names: readonly string[]; first: string; last: string }
): Promise<Record<string, IndicatorPoint[]>> {
  const series: Record<string, IndicatorPoint[]> = {}
  for (const name of query.names) series[name] = []
  if (query.names.length === 0) return series
  const { rows } = await db.query<{ name: string; bucket: string; value: number }>(
    `select name, bucket, value
       from indicators
      where symbol = $1 and interval = $2 and name = any($3::text[])
        and bucket >= $4::timestamptz and bucket <= $5::timestamptz
      order by name, bucket`,
    [query.symbol, query.interval, query.names, query.first, query.last]
  )
  for (const row of rows) series[row.name]?.push({ bucket: row.bucket, value: row.value })
  return series
}
