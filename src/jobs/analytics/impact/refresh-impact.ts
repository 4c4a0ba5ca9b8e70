/**
 * Keeps the news impact rows true to the stored candles, inside the analytics batch's transaction
 * (after its candles and per-symbol state are written). A row is recomputed from the candles:
 * - when its article arrives (or arrives again: its coins may have changed);
 * - when a minute of its symbol closes (a provisional horizon follows the market minute by minute,
 *   late trades included);
 * - when the symbol's watermark settles one of its horizons: the last computation, from candles no
 *   accepted trade can change any more, marks it final, and it is never recomputed again.
 * Each computation reads only stored candles, so a redelivery, a restart or a rebalance recomputes
 * the same figures: the effects are exactly once, as the candles' are.
 */
import { parseDecimal } from '../../../lib/decimal.ts'
import { isoToMicros, microsToIso } from '../../../lib/event-time.ts'
import type { ArticleV1 } from '../../../schemas/article.v1.ts'
import type { Queryable } from '../../../store/database.ts'
import {
  type ImpactRow,
  deleteArticleImpact,
  impactSymbolsOf,
  lockImpactSymbols,
  minuteCandles,
  pendingImpact,
  symbolsWithCandles,
  symbolsWithPendingImpact,
  tradeWatermarks,
  writeImpact
} from '../../../store/writers/impact.ts'
import {
  IMPACT_HORIZONS,
  MinuteSeries,
  computeImpact,
  firstCandleNeeded,
  floorMinute,
  formatOrNull,
  windowEndOf
} from './impact.ts'

export interface ImpactWork {
  /** Articles of this batch (the latest delivery of each). */
  articles: readonly ArticleV1[]
  /** Per symbol whose trades this batch applied, its watermark before the batch (µs; null: none). */
  watermarksBefore: ReadonlyMap<string, number | null>
}

const LONGEST_MINUTES = Math.max(...IMPACT_HORIZONS.map(h => h.minutes))

const micros = (iso: string): number => isoToMicros(iso) ?? 0

export interface ImpactSettings {
  readonly latenessMicros: number
  /** Pairs measured even without any stored candle yet (SYMBOLS). */
  readonly trackedSymbols: readonly string[]
}

const baseOf = (symbol: string): string => symbol.split('/')[0] ?? ''

/** Recomputes the impact rows this batch can have changed; returns the rows written. */
export async function refreshImpact(
  tx: Queryable,
  job: string,
  work: ImpactWork,
  { latenessMicros, trackedSymbols }: ImpactSettings
): Promise<ImpactRow[]> {
  if (work.articles.length === 0 && work.watermarksBefore.size === 0) return []
  const codes = [...new Set(work.articles.flatMap(a => a.coins.map(c => c.code)))]
  // A configured pair counts before its first candle is stored: its rows start null and the
  // closing minutes fill them in, as any provisional row (an article must not be lost for arriving
  // in the first seconds of a deployment, or just after a pair was added).
  const tracked = [
    ...new Set([
      ...(await symbolsWithCandles(tx, codes)),
      ...trackedSymbols.filter(symbol => codes.includes(baseOf(symbol)))
    ])
  ].sort()
  // Most batches carry trades only, of symbols whose rows are all final: one indexed probe, no lock.
  // A row another instance is writing now is seen by this symbol's next batch (the settled horizons
  // are selected by `window_end <=`, not by "just settled"), so skipping it here loses nothing.
  const moved = await symbolsWithPendingImpact(tx, [...work.watermarksBefore.keys()])
  const symbols = [...new Set([...tracked, ...moved])]
  const articleIds = work.articles.map(a => a.id)
  // Every row this batch replaces is under its symbol's lock first (ingest reopens rows under the
  // same locks: a row lock taken before its symbol's lock could close a cycle with it).
  const locked = [...new Set([...symbols, ...(await impactSymbolsOf(tx, articleIds))])]
  if (locked.length > 0) await lockImpactSymbols(tx, locked)
  // An article delivered again may name other coins now: its rows are recomputed from scratch.
  await deleteArticleImpact(tx, articleIds)
  if (symbols.length === 0) return []
  const watermarks = await tradeWatermarks(tx, job, symbols)
  // Per symbol, the articles to compute: article id → publication time (µs).
  const targets = new Map<string, Map<string, number>>()
  const target = (symbol: string, articleId: string, published: number): void => {
    const own = targets.get(symbol) ?? new Map<string, number>()
    own.set(articleId, published)
    targets.set(symbol, own)
  }
  for (const article of work.articles) {
    const bases = new Set(article.coins.map(c => c.code))
    for (const symbol of tracked) {
      if (bases.has(baseOf(symbol))) target(symbol, article.id, micros(article.publishedAt))
    }
  }
  for (const symbol of moved) {
    const before = work.watermarksBefore.get(symbol) ?? null
    const after = watermarks.get(symbol)
    if (after === undefined) continue
    const minuteClosed = before === null || floorMinute(after) > floorMinute(before)
    const pending = await pendingImpact(tx, symbol, {
      all: minuteClosed,
      settledBefore: microsToIso(after - latenessMicros)
    })
    for (const row of pending) target(symbol, row.articleId, micros(row.publishedAt))
  }
  const rows: ImpactRow[] = []
  for (const [symbol, articles] of targets) {
    const published = [...articles.values()]
    const from = firstCandleNeeded(Math.min(...published))
    const before = windowEndOf(Math.max(...published), LONGEST_MINUTES)
    const series = new MinuteSeries(
      (await minuteCandles(tx, symbol, microsToIso(from), microsToIso(before))).map(c => ({
        bucket: micros(c.bucket),
        close: parseDecimal(c.close),
        volume: parseDecimal(c.volume)
      }))
    )
    for (const [articleId, publishedMicros] of articles) {
      const impact = computeImpact({
        publishedMicros,
        series,
        watermark: watermarks.get(symbol) ?? null,
        latenessMicros
      })
      for (const h of impact) {
        rows.push({
          articleId,
          symbol,
          horizon: h.horizon,
          publishedAt: microsToIso(publishedMicros),
          windowEnd: microsToIso(h.windowEnd),
          p0: formatOrNull(h.p0),
          pH: formatOrNull(h.pH),
          returnH: formatOrNull(h.returnH),
          sigma: h.sigma,
          abnormal: h.abnormal,
          volumeRatio: formatOrNull(h.volumeRatio),
          final: h.final
        })
      }
    }
  }
  await writeImpact(tx, rows)
  return rows
}
