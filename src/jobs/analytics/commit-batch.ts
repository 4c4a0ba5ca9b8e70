/**
 * Commits one analytics batch: outputs, per-symbol state and the partitions' next offsets in ONE
 * transaction, so they are durable together or not at all. The offset rows are locked first and must
 * still hold what this instance loaded: if another instance advanced a partition meanwhile (a
 * rebalance overlap), the batch is refused with a retryable STALE_PARTITION_STATE and nothing is
 * written. Alerts are published inside the transaction, before it commits: a crash after publishing
 * repeats them with the same ids (stored once), a crash before committing never loses them.
 */
import { CryptoVizError, ErrorCodes } from '../../errors/errors.ts'
import { microsToIso } from '../../lib/event-time.ts'
import type { AlertV1 } from '../../schemas/alert.v1.ts'
import type { Database, Queryable } from '../../store/database.ts'
import { ensureArticles } from '../../store/writers/articles.ts'
import { writeCandles } from '../../store/writers/candles.ts'
import { writeIndicators } from '../../store/writers/indicators.ts'
import { readJobOffsets, writeJobOffsets, writeJobState } from '../../store/writers/job-bookkeeping.ts'
import {
  SENTIMENT_LOCK,
  type SentimentPoint,
  recomputeSentimentSeries,
  sentimentSeriesSince,
  writeArticleSentiment
} from '../../store/writers/sentiment.ts'
import type { ImpactRow } from '../../store/writers/impact.ts'
import { writeSpreads } from '../../store/writers/spreads.ts'
import { type AlertDraft, sentimentSwing } from './alerts/rules.ts'
import { INTERVALS, bucketOf } from './candles/intervals.ts'
import { refreshImpact } from './impact/refresh-impact.ts'
import type { BatchWork } from './process-batch.ts'
import type { AnalyticsSettings } from './settings.ts'
import { isoToMicros } from '../../lib/event-time.ts'

export interface CommitResult {
  sentimentPoints: SentimentPoint[]
  alerts: AlertV1[]
  /** News impact rows written by this batch. */
  impact: ImpactRow[]
}

export interface CommitOptions {
  job: string
  settings: AnalyticsSettings
  /** Turns this batch's alert drafts into the alerts to publish (ids, dedupe). */
  toAlerts: (drafts: readonly AlertDraft[]) => AlertV1[]
  /** Publishes alerts durably; called inside the transaction, before the commit. */
  publishAlerts: (alerts: readonly AlertV1[]) => Promise<void>
}

async function fence(tx: Queryable, job: string, work: BatchWork): Promise<void> {
  const stored = await readJobOffsets(tx, job, work.offsets, { forUpdate: true })
  for (const expected of work.offsets) {
    const row = stored.find(r => r.topic === expected.topic && r.partition === expected.partition)
    if (row === undefined || row.nextOffset !== expected.expected) {
      throw new CryptoVizError(
        ErrorCodes.STALE_PARTITION_STATE,
        `${expected.topic}/${expected.partition} is at offset ${row?.nextOffset ?? 'none'} in the database, ` +
          `this instance expected ${expected.expected}: another instance applied records meanwhile; reloading`,
        { retryable: true }
      )
    }
  }
}

const SENTIMENT_INTERVALS = INTERVALS.filter(i => i.name === '1h' || i.name === '1d')

async function sentiment(
  tx: Queryable,
  work: BatchWork,
  settings: AnalyticsSettings
): Promise<{ points: SentimentPoint[]; drafts: AlertDraft[] }> {
  if (work.sentiment.length === 0) return { points: [], drafts: [] }
  await ensureArticles(tx, work.articles)
  await writeArticleSentiment(tx, work.sentiment)
  await tx.query('select pg_advisory_xact_lock($1)', [SENTIMENT_LOCK])
  const points: SentimentPoint[] = []
  for (const interval of SENTIMENT_INTERVALS) {
    const from = new Map(
      [...work.sentimentFrom].map(([code, ts]) => [code, microsToIso(bucketOf(ts, interval))])
    )
    points.push(
      ...(await recomputeSentimentSeries(tx, from, {
        interval: interval.name,
        intervalSeconds: interval.micros / 1_000_000,
        windowSeconds: settings.sentiment.windowSeconds,
        halfLifeSeconds: settings.sentiment.halfLifeSeconds
      }))
    )
  }
  return { points, drafts: await swings(tx, points, settings) }
}

/**
 * The sentiment swing rule at every hourly bucket this batch recomputed, oldest first, each seeing the
 * series up to that bucket. News about a coin arrives through every partition in no fixed order, so
 * a swing may first be seen with part of an hour's articles; its id is stable all the same.
 */
async function swings(
  tx: Queryable,
  points: readonly SentimentPoint[],
  settings: AnalyticsSettings
): Promise<AlertDraft[]> {
  if (settings.alerts.sentimentSwing <= 0) return []
  const hourly = points.filter(p => p.interval === '1h')
  if (hourly.length === 0) return []
  const codes = [...new Set(hourly.map(p => p.code))]
  const earliest = Math.min(...hourly.map(p => isoToMicros(p.bucket) ?? 0))
  const since = microsToIso(earliest - settings.alerts.sentimentWindowHours * 3_600_000_000)
  const series = await sentimentSeriesSince(tx, codes, '1h', since)
  const drafts: AlertDraft[] = []
  for (const code of codes) {
    const own = series
      .filter(p => p.code === code)
      .map(p => ({ bucket: isoToMicros(p.bucket) ?? 0, articles: p.articles, index: p.indexValue }))
    const touched = hourly
      .filter(p => p.code === code)
      .map(p => isoToMicros(p.bucket) ?? 0)
      .sort((a, b) => a - b)
    for (const bucket of touched) {
      const draft = sentimentSwing(
        code,
        own.filter(p => p.bucket <= bucket),
        settings.alerts
      )
      if (draft !== undefined) drafts.push(draft)
    }
  }
  return drafts
}

export async function commitBatch(
  db: Database,
  work: BatchWork,
  options: CommitOptions
): Promise<CommitResult> {
  return db.transaction(async tx => {
    await fence(tx, options.job, work)
    await writeCandles(tx, work.candles)
    await writeIndicators(tx, work.indicators)
    await writeSpreads(tx, work.spreads)
    const news = await sentiment(tx, work, options.settings)
    // Before the impact: it reads the symbols' watermarks as this batch leaves them.
    await writeJobState(tx, options.job, work.states)
    const impact = await refreshImpact(tx, options.job, work, options.settings)
    await writeJobOffsets(
      tx,
      options.job,
      work.offsets.map(({ expected: _expected, ...offset }) => offset)
    )
    const alerts = options.toAlerts([...work.drafts, ...news.drafts])
    if (alerts.length > 0) await options.publishAlerts(alerts)
    return { sentimentPoints: news.points, alerts, impact }
  })
}
