/**
 * One batch through the analytics state, in memory: every record not applied before updates the
 * candles or spreads of its symbol (or is scored, for articles), closed one-minute buckets go
 * through the alert rules, and the rows to write are collected. No I/O: the caller commits the
 * result (and the new offsets) in one transaction, or throws the state away if that fails.
 */
import type { ConsumedRecord } from '../../bus/bus.ts'
import { type Decimal, isPositive, multiply, parseDecimal, toNumber } from '../../lib/decimal.ts'
import { isoToMicros, microsToIso } from '../../lib/event-time.ts'
import type { ArticleV1 } from '../../schemas/article.v1.ts'
import type { CandleRow } from '../../store/writers/candles.ts'
import type { IndicatorRow } from '../../store/writers/indicators.ts'
import type { KeyState, PartitionOffset } from '../../store/writers/job-bookkeeping.ts'
import type { ArticleSentimentRow } from '../../store/writers/sentiment.ts'
import { lastByKey } from '../../store/writers/sql-arrays.ts'
import type { SpreadRow } from '../../store/writers/spreads.ts'
import { decodeRecord } from '../decode.ts'
import { type AlertDraft, priceMove, spreadWidening, volumeSpike } from './alerts/rules.ts'
import { type Candle, candleToRow } from './candles/candle.ts'
import { INTERVALS } from './candles/intervals.ts'
import type { SymbolCandles } from './candles/symbol-candles.ts'
import { indicatorsAt } from './indicators/indicator-set.ts'
import { SENTIMENT_MODEL, scoreArticle } from './sentiment/score.ts'
import type { AnalyticsSettings } from './settings.ts'
import { spreadToRow } from './spreads/symbol-spreads.ts'
import type { AnalyticsState, PartitionState } from './state/partition-state.ts'

export type Outcome = 'applied' | 'late' | 'duplicate' | 'replayed' | 'invalid'

export interface BatchWork {
  candles: CandleRow[]
  indicators: IndicatorRow[]
  spreads: SpreadRow[]
  articles: ArticleV1[]
  sentiment: ArticleSentimentRow[]
  /** Per code ('BTC', '*'), the earliest publication time of this batch's articles. */
  sentimentFrom: Map<string, number>
  drafts: AlertDraft[]
  /** Per symbol whose trades this batch reached, its watermark before the batch (news impact). */
  watermarksBefore: Map<string, number | null>
  states: KeyState[]
  /** Offsets to commit, with what the database must still hold for them (the fence). */
  offsets: (PartitionOffset & { expected: number })[]
  outcomes: Map<string, Map<Outcome, number>>
}

/** A partition this batch reached: where it stands and what became of its records. */
interface Touched {
  partition: PartitionState
  next: number
  expected: number
  outcomes: Record<Outcome, number>
}

const noOutcomes = (): Record<Outcome, number> => ({
  applied: 0,
  late: 0,
  duplicate: 0,
  replayed: 0,
  invalid: 0
})

/** Closes as numbers for the indicators, once per close (a Decimal is immutable; rows share them). */
const closeNumbers = new WeakMap<Decimal, number>()

function closeOf(candle: Candle): number {
  let value = closeNumbers.get(candle.close)
  if (value === undefined) {
    value = toNumber(candle.close)
    closeNumbers.set(candle.close, value)
  }
  return value
}

function applyRecord(
  work: BatchWork,
  state: AnalyticsState,
  partition: PartitionState,
  record: ConsumedRecord,
  settings: AnalyticsSettings
): Outcome {
  const decoded = decodeRecord(partition.kind, record)
  if (decoded.kind === 'trade') {
    const t = decoded.value
    const candles = state.candlesFor(partition, t.symbol)
    if (!work.watermarksBefore.has(t.symbol)) work.watermarksBefore.set(t.symbol, candles.watermark)
    const price = parseDecimal(t.price)
    const qty = parseDecimal(t.qty)
    const trade = {
      tradeId: t.tradeId,
      ts: decoded.eventMicros ?? isoToMicros(t.exchangeTs) ?? 0,
      price,
      qty,
      side: t.side,
      notional: multiply(price, qty)
    }
    const result = candles.apply(trade)
    // The whale rule sees exactly the trades the candles count, in partition order.
    if (result.outcome === 'applied') {
      const whale = state.whalesFor(partition, t.symbol).check(trade)
      if (whale !== undefined) work.drafts.push(whale)
    }
    if (result.closed !== undefined) {
      const series = candles.series('1m')
      for (const draft of [
        priceMove(result.closed, series, settings.alerts),
        volumeSpike(result.closed, series, settings.alerts)
      ]) {
        if (draft !== undefined) work.drafts.push(draft)
      }
    }
    return result.outcome
  }
  if (decoded.kind === 'ticker') {
    const t = decoded.value
    const bid = parseDecimal(t.bid)
    const ask = parseDecimal(t.ask)
    // A one-sided or empty book has no meaningful mid; it is stored raw by ingest all the same.
    if (!isPositive(bid) || !isPositive(ask)) return 'invalid'
    const spreads = state.spreadsFor(partition, t.symbol)
    const result = spreads.apply({ ts: isoToMicros(t.exchangeTs ?? t.receivedAt) ?? 0, bid, ask })
    if (result.closed !== undefined) {
      const draft = spreadWidening(result.closed, spreads.series('1m'), settings.alerts)
      if (draft !== undefined) work.drafts.push(draft)
    }
    return result.outcome
  }
  if (decoded.kind === 'article') {
    const a = decoded.value
    const score = scoreArticle(a)
    work.articles.push(a)
    work.sentiment.push({
      articleId: a.id,
      score: score.score,
      label: score.label,
      positiveTerms: score.positiveTerms,
      negativeTerms: score.negativeTerms,
      model: SENTIMENT_MODEL
    })
    const published = isoToMicros(a.publishedAt) ?? 0
    for (const code of ['*', ...a.coins.map(c => c.code)]) {
      work.sentimentFrom.set(code, Math.min(work.sentimentFrom.get(code) ?? Infinity, published))
    }
    return 'applied'
  }
  // Rejected here and dead-lettered by ingest, which reads the same topics with the same checks.
  return 'invalid'
}

/** Candle and indicator rows of one symbol for every bucket changed in this batch. */
function collectCandles(work: BatchWork, candles: SymbolCandles, settings: AnalyticsSettings): void {
  const changes = candles.drainChanges()
  for (const interval of INTERVALS) {
    const earliest = changes.get(interval.name)
    if (earliest === undefined) continue
    const series = candles.series(interval.name)
    let first = series.length
    while (first > 0 && (series[first - 1] as Candle).bucket >= earliest) first--
    // The closes the windows of the changed candles reach back to, and no further.
    const from = Math.max(0, first - settings.indicatorWindow + 1)
    const closes = series.slice(from).map(closeOf)
    for (let i = first; i < series.length; i++) {
      const candle = series[i] as Candle
      // Later candles are rewritten too: their indicator windows include the changed one.
      work.candles.push(candleToRow(candle))
      const bucket = microsToIso(candle.bucket)
      const window = closes.slice(Math.max(0, i - settings.indicatorWindow + 1) - from, i + 1 - from)
      for (const [name, value] of indicatorsAt(window, settings.indicators)) {
        work.indicators.push({ symbol: candles.symbol, interval: interval.name, bucket, name, value })
      }
    }
  }
}

export function processBatch(
  batch: readonly ConsumedRecord[],
  state: AnalyticsState,
  settings: AnalyticsSettings
): BatchWork {
  const work: BatchWork = {
    candles: [],
    indicators: [],
    spreads: [],
    articles: [],
    sentiment: [],
    sentimentFrom: new Map(),
    drafts: [],
    watermarksBefore: new Map(),
    states: [],
    offsets: [],
    outcomes: new Map()
  }
  const touched = new Map<PartitionState, Touched>()
  // Records come in runs of one partition: look the partition up when the run changes.
  let entry: Touched | undefined
  for (const record of batch) {
    if (entry?.partition.partition !== record.partition || entry.partition.topic !== record.topic) {
      const partition = state.get(record)
      entry = partition === undefined ? undefined : touched.get(partition)
      if (partition === undefined) continue
      if (entry === undefined) {
        entry = {
          partition,
          next: partition.nextOffset,
          expected: partition.nextOffset,
          outcomes: noOutcomes()
        }
        touched.set(partition, entry)
      }
    }
    const offset = Number(record.offset)
    if (offset < entry.next) {
      entry.outcomes.replayed++
      continue
    }
    entry.outcomes[applyRecord(work, state, entry.partition, record, settings)]++
    entry.next = offset + 1
  }
  for (const { partition, next, expected, outcomes } of touched.values()) {
    const byOutcome = work.outcomes.get(partition.topic) ?? new Map<Outcome, number>()
    for (const [outcome, n] of Object.entries(outcomes) as [Outcome, number][])
      if (n > 0) byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + n)
    work.outcomes.set(partition.topic, byOutcome)
    work.offsets.push({ topic: partition.topic, partition: partition.partition, nextOffset: next, expected })
    for (const candles of partition.candles.values()) {
      collectCandles(work, candles, settings)
      candles.prune()
      const whale = partition.whales.get(candles.symbol)?.toState()
      work.states.push({
        topic: partition.topic,
        partition: partition.partition,
        key: candles.symbol,
        state: whale === undefined ? candles.toState() : { ...candles.toState(), whale }
      })
    }
    for (const spreads of partition.spreads.values()) {
      work.spreads.push(...spreads.drainChanges().map(spreadToRow))
      spreads.prune()
      work.states.push({
        topic: partition.topic,
        partition: partition.partition,
        key: spreads.symbol,
        state: spreads.toState()
      })
    }
  }
  // An article delivered twice in one batch (a feed item published again) is scored once, as the
  // later delivery would overwrite the earlier: one upsert statement may not touch a row twice.
  work.sentiment = lastByKey(work.sentiment, s => s.articleId)
  work.articles = lastByKey(work.articles, a => a.id)
  return work
}
