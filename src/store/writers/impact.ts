/**
 * News impact rows (migration 005) and what the analytics job reads to compute them: the symbols
 * with candles, a symbol's one-minute candles, its watermark, and the rows its candles can still
 * change. Every write carries a row's complete new state, computed from stored candles, so writing
 * it again is the same as writing it once.
 *
 * Articles come through every partition and a symbol's candles through one, so an article's row and
 * a late trade's candle can be written by two instances at once. Callers hold the symbol's
 * IMPACT_LOCK for the transaction, taken after their candles are written: whichever commits second
 * reads what the first committed.
 */
import type { Queryable } from '../database.ts'
import { columns } from './sql-arrays.ts'

/** First key of the pg_advisory_xact_lock(int, int) pair; the second is hashtext(symbol). */
export const IMPACT_LOCK = 1_229_800_532

export interface ImpactRow {
  articleId: string
  symbol: string
  horizon: string
  publishedAt: string
  windowEnd: string
  p0: string | null
  pH: string | null
  returnH: string | null
  sigma: number | null
  abnormal: string | null
  volumeRatio: string | null
  final: boolean
}

/** Locks the symbols' impact rows for this transaction, in one global order (no deadlock). */
export async function lockImpactSymbols(q: Queryable, symbols: readonly string[]): Promise<void> {
  const { rows } = await q.query<{ h: number }>(
    'select distinct hashtext(s) as h from unnest($1::text[]) as s order by h',
    [[...symbols]]
  )
  for (const { h } of rows) await q.query('select pg_advisory_xact_lock($1, $2)', [IMPACT_LOCK, h])
}

/**
 * The body of a recursive CTE named `cte` listing the distinct symbols of a table whose primary key
 * leads with `symbol`: one index probe per symbol, not a table read.
 */
const distinctSymbols = (
  table: string,
  cte: string
): string => `(select symbol from ${table} order by symbol limit 1)
       union all
       select (select t.symbol from ${table} t where t.symbol > ${cte}.symbol order by t.symbol limit 1)
         from ${cte} where ${cte}.symbol is not null`

/**
 * Symbols with candles, the pipeline's or the exchange's (as /api/candles shows them), whose base
 * asset (BTC of BTC/USD) is one of the codes.
 */
export async function symbolsWithCandles(q: Queryable, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return []
  const { rows } = await q.query<{ symbol: string }>(
    `with recursive s(symbol) as (${distinctSymbols('candles', 's')}),
          e(symbol) as (${distinctSymbols('exchange_candles', 'e')})
     select symbol from s where symbol is not null and split_part(symbol, '/', 1) = any($1::text[])
     union
     select symbol from e where symbol is not null and split_part(symbol, '/', 1) = any($1::text[])
     order by symbol`,
    [[...codes]]
  )
  return rows.map(r => r.symbol)
}

export interface StoredMinute {
  bucket: string
  close: string
  volume: string
}

/**
 * One-minute candles of a symbol starting in [from, before), oldest first, as /api/candles shows
 * them: the pipeline's own, and the exchange's (history loaded at start-up) where it has none.
 */
export async function minuteCandles(
  q: Queryable,
  symbol: string,
  from: string,
  before: string
): Promise<StoredMinute[]> {
  const { rows } = await q.query<StoredMinute>(
    `select bucket, close, volume from candles
      where symbol = $1 and interval = '1m' and bucket >= $2 and bucket < $3
     union all
     select e.bucket, e.close, e.volume from exchange_candles e
      where e.symbol = $1 and e.interval_min = 1 and e.bucket >= $2 and e.bucket < $3
        and not exists (select 1 from candles c where c.symbol = $1 and c.interval = '1m' and c.bucket = e.bucket)
     order by bucket`,
    [symbol, from, before]
  )
  return rows
}

/** The analytics job's committed event-time watermark (µs) of each symbol's trades. */
export async function tradeWatermarks(
  q: Queryable,
  job: string,
  symbols: readonly string[]
): Promise<Map<string, number>> {
  if (symbols.length === 0) return new Map()
  // Trade partitions and ticker partitions both key their state by symbol; a trade state has `seen`.
  const { rows } = await q.query<{ key: string; watermark: number }>(
    `select key, max((state->>'watermark')::float8) as watermark from job_state
      where job = $1 and key = any($2::text[]) and state ? 'seen' and state->>'watermark' is not null
      group by key`,
    [job, [...symbols]]
  )
  return new Map(rows.map(r => [r.key, Number(r.watermark)]))
}

/** Of these symbols, those with impact rows not final yet (the rows their candles can still change). */
export async function symbolsWithPendingImpact(q: Queryable, symbols: readonly string[]): Promise<string[]> {
  if (symbols.length === 0) return []
  const { rows } = await q.query<{ symbol: string }>(
    `select s as symbol from unnest($1::text[]) as s
      where exists (select 1 from article_impact i where i.symbol = s and not i.final)`,
    [[...symbols]]
  )
  return rows.map(r => r.symbol)
}

export interface PendingImpact {
  articleId: string
  publishedAt: string
}

/**
 * Articles with a horizon of the symbol not yet final: all of them, or only those with a horizon the
 * watermark has just settled (window ending by `settledBefore`).
 */
export async function pendingImpact(
  q: Queryable,
  symbol: string,
  options: { all: boolean; settledBefore: string }
): Promise<PendingImpact[]> {
  const { rows } = await q.query<PendingImpact>(
    `select distinct article_id as "articleId", published_at as "publishedAt" from article_impact
      where symbol = $1 and not final and ($2 or window_end <= $3)`,
    [symbol, options.all, options.settledBefore]
  )
  return rows
}

/** The symbols the articles have rows for (their locks are taken before the rows are replaced). */
export async function impactSymbolsOf(q: Queryable, articleIds: readonly string[]): Promise<string[]> {
  if (articleIds.length === 0) return []
  const { rows } = await q.query<{ symbol: string }>(
    'select distinct symbol from article_impact where article_id = any($1::text[])',
    [[...articleIds]]
  )
  return rows.map(r => r.symbol)
}

/** Forgets the rows of articles about to be recomputed (their coins may have changed). */
export async function deleteArticleImpact(q: Queryable, articleIds: readonly string[]): Promise<void> {
  if (articleIds.length === 0) return
  await q.query('delete from article_impact where article_id = any($1::text[])', [[...articleIds]])
}

/** A minute of the exchange's own candles, as just written. */
export interface ExchangeMinute {
  symbol: string
  bucket: string
}

/**
 * The rows that read a minute of the spans: from the day before the publication minute (σ, the
 * volume baseline, p0) to the window's end (p_h). The impact reads the exchange's minute wherever
 * the pipeline has none, so a minute written after a row settled can change it.
 */
const READS_SPAN = `i.symbol = c.symbol and i.window_end > c.first
  and i.published_at - interval '1 day 1 minute' <= c.last`
/** Per symbol, the first and last minute written. */
const SPANS = `(select symbol, min(bucket) as first, max(bucket) as last
  from unnest($1::text[], $2::timestamptz[]) as m(symbol, bucket) group by symbol) as c`

/**
 * Exchange minutes written late (history loaded after the pipeline ran) reopen the final news moves
 * that read them: marked provisional, they are recomputed by the analytics job with the symbol's
 * next trades and settle again. Rows whose window ends after now cannot be settled by anyone yet
 * and are left alone, so a live exchange candle (this minute) costs one indexed probe, no lock.
 * Otherwise the symbols' IMPACT_LOCK is taken first: an analytics batch settling one of these rows
 * from the minutes before this write either commits before (and the row is reopened here) or reads
 * this write. Returns the rows reopened.
 */
export async function reopenImpactOver(q: Queryable, minutes: readonly ExchangeMinute[]): Promise<number> {
  if (minutes.length === 0) return 0
  const params = [minutes.map(m => m.symbol), minutes.map(m => m.bucket)]
  const { rows } = await q.query<{ symbol: string }>(
    `select c.symbol from ${SPANS}
      where exists (select 1 from article_impact i where ${READS_SPAN} and i.window_end <= now())`,
    params
  )
  if (rows.length === 0) return 0
  await lockImpactSymbols(
    q,
    rows.map(r => r.symbol)
  )
  // Only the locked symbols' rows: a row lock taken without its symbol's lock could close a cycle
  // with an analytics batch holding that symbol's lock and waiting for one of ours.
  const reopened = await q.query(
    `update article_impact i set final = false, computed_at = now() from ${SPANS}
      where ${READS_SPAN} and i.final and i.symbol = any($3::text[])`,
    [...params, rows.map(r => r.symbol)]
  )
  return reopened.rowCount
}

const UPSERT = `insert into article_impact (article_id, symbol, horizon, published_at, window_end, p0, p_h,
  return_h, sigma, abnormal, volume_ratio, final)
select * from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::numeric[],
  $7::numeric[], $8::numeric[], $9::float8[], $10::numeric[], $11::numeric[], $12::bool[])
on conflict (article_id, symbol, horizon) do update set published_at = excluded.published_at,
  window_end = excluded.window_end, p0 = excluded.p0, p_h = excluded.p_h, return_h = excluded.return_h,
  sigma = excluded.sigma, abnormal = excluded.abnormal, volume_ratio = excluded.volume_ratio,
  final = excluded.final, computed_at = now()`

export async function writeImpact(q: Queryable, rows: readonly ImpactRow[]): Promise<void> {
  if (rows.length === 0) return
  await q.query(
    UPSERT,
    columns(rows, 12, r => [
      r.articleId,
      r.symbol,
      r.horizon,
      r.publishedAt,
      r.windowEnd,
      r.p0,
      r.pH,
      r.returnH,
      r.sigma,
      r.abnormal,
      r.volumeRatio,
      r.final
    ])
  )
}
