/**
 * Alert rules, evaluated in event time on closed one-minute candles and spread buckets (so the same
 * trades give the same alerts however they were batched) and on the hourly sentiment index.
 * Each rule returns a draft or nothing; ids and rate limits are applied by alert-ids.ts.
 */
import type { Config } from '../../../config/config.ts'
import { compare, divide, subtract, toNumber, formatDecimal } from '../../../lib/decimal.ts'
import { MICROS_PER_MINUTE, microsToIso } from '../../../lib/event-time.ts'
import type { Candle } from '../candles/candle.ts'
import type { SpreadBucket } from '../spreads/symbol-spreads.ts'
import type { AlertKind } from '../../../schemas/alert.v1.ts'
import type { Severity } from '../../../contract/vocabulary.ts'

/** The alert thresholds as configured (config.ts declares them, with the variables that set them). */
export type AlertSettings = Config['analytics']['alerts']

export interface AlertDraft {
  rule: string
  kind: AlertKind
  symbol: string
  severity: Severity
  title: string
  message: string
  value: number
  threshold: number
  /** When the condition was observed, in event time (µs). */
  eventTs: number
  /**
   * What identifies this alert within its rule and symbol when it is not the event-time window:
   * a whale alert is one per trade (its id), never rate-limited by the cooldown.
   */
  key?: string
  details: Record<string, unknown>
}

// Figures in alerts are for people; rounding also keeps them equal across runs whose float sums
// were taken in a different order (the sentiment index is aggregated by SQL).
const round = (value: number, digits = 2): number => Number(value.toFixed(digits))
const hhmm = (micros: number): string => microsToIso(micros).slice(11, 16)
const signed = (value: number): string => `${value >= 0 ? '+' : ''}${round(value)}`

function severity(value: number, threshold: number): AlertDraft['severity'] {
  return Math.abs(value) >= 2 * threshold ? 'critical' : 'warning'
}

/** Earlier items of a time-ordered series, before `bucket`, at most `count`, oldest first. */
function before<T extends { bucket: number }>(series: readonly T[], bucket: number, count: number): T[] {
  const earlier = series.filter(item => item.bucket < bucket)
  return earlier.slice(Math.max(0, earlier.length - count))
}

/** The close moved by at least X % since the close `window` minutes earlier. */
export function priceMove(
  closed: Candle,
  series: readonly Candle[],
  s: AlertSettings
): AlertDraft | undefined {
  if (s.priceMovePct <= 0) return undefined
  const window = s.priceMoveWindowMinutes * MICROS_PER_MINUTE
  // The reference is the last close at or before the start of the window, if it is recent enough.
  const reference = before(series, closed.bucket - window + 1, 1)[0]
  if (reference === undefined || reference.bucket <= closed.bucket - 2 * window) return undefined
  if (compare(reference.close, { units: 0n, scale: 0 }) <= 0) return undefined
  const change = subtract(closed.close, reference.close)
  const pct = toNumber(divide(change, reference.close, 8, 'half-even')) * 100
  if (Math.abs(pct) < s.priceMovePct) return undefined
  const end = closed.bucket + MICROS_PER_MINUTE
  const minutes = s.priceMoveWindowMinutes
  return {
    rule: `price_move_${minutes}m`,
    kind: 'price_move',
    symbol: closed.symbol,
    severity: severity(pct, s.priceMovePct),
    title: `${closed.symbol} ${signed(pct)} % in ${minutes} min`,
    message:
      `Price ${pct >= 0 ? 'rose' : 'fell'} from ${formatDecimal(reference.close)} to ${formatDecimal(closed.close)} ` +
      `(${signed(pct)} %) between ${hhmm(reference.bucket + MICROS_PER_MINUTE)} and ${hhmm(end)} UTC ` +
      `(threshold ${s.priceMovePct} %).`,
    value: round(pct, 4),
    threshold: s.priceMovePct,
    eventTs: end,
    details: { from: formatDecimal(reference.close), to: formatDecimal(closed.close), windowMinutes: minutes }
  }
}

function meanAndDeviation(values: readonly number[]): { mean: number; deviation: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length
  return { mean, deviation: Math.sqrt(variance) }
}

/** A minute's volume is at least Z standard deviations above the previous minutes' mean. */
export function volumeSpike(
  closed: Candle,
  series: readonly Candle[],
  s: AlertSettings
): AlertDraft | undefined {
  if (s.volumeZScore <= 0) return undefined
  const baseline = before(series, closed.bucket, s.volumeLookback)
  if (baseline.length < s.volumeLookback) return undefined
  const { mean, deviation } = meanAndDeviation(baseline.map(c => toNumber(c.volume)))
  if (deviation === 0) return undefined
  const volume = toNumber(closed.volume)
  const z = (volume - mean) / deviation
  if (z < s.volumeZScore) return undefined
  const end = closed.bucket + MICROS_PER_MINUTE
  return {
    rule: 'volume_spike',
    kind: 'volume_spike',
    symbol: closed.symbol,
    severity: severity(z, s.volumeZScore),
    title: `${closed.symbol} volume spike (z ${round(z, 1)})`,
    message:
      `Volume ${formatDecimal(closed.volume)} in the minute to ${hhmm(end)} UTC is ${round(z, 1)} standard ` +
      `deviations above the previous ${baseline.length} minutes' mean ${round(mean, 8)} (threshold ${s.volumeZScore}).`,
    value: round(z, 4),
    threshold: s.volumeZScore,
    eventTs: end,
    details: {
      volume: formatDecimal(closed.volume),
      mean: round(mean, 8),
      deviation: round(deviation, 8),
      lookback: baseline.length
    }
  }
}

/** A minute's average spread is at least R times the previous minutes' average, and wide enough to matter. */
export function spreadWidening(
  closed: SpreadBucket,
  series: readonly SpreadBucket[],
  s: AlertSettings
): AlertDraft | undefined {
  if (s.spreadRatio <= 0 || closed.samples === 0) return undefined
  const average = closed.sumBps / closed.samples
  if (average < s.spreadMinBps) return undefined
  const baseline = before(series, closed.bucket, s.spreadLookback)
  if (baseline.length < s.spreadLookback) return undefined
  const samples = baseline.reduce((n, b) => n + b.samples, 0)
  const base = baseline.reduce((sum, b) => sum + b.sumBps, 0) / samples
  if (!(base > 0)) return undefined
  const ratio = average / base
  if (ratio < s.spreadRatio) return undefined
  const end = closed.bucket + MICROS_PER_MINUTE
  return {
    rule: 'spread_widening',
    kind: 'spread_widening',
    symbol: closed.symbol,
    severity: severity(ratio, s.spreadRatio),
    title: `${closed.symbol} spread ×${round(ratio, 1)}`,
    message:
      `The average spread in the minute to ${hhmm(end)} UTC was ${round(average)} bps, ${round(ratio, 1)}× ` +
      `the previous ${baseline.length} minutes' ${round(base)} bps (threshold ×${s.spreadRatio}).`,
    value: round(ratio, 4),
    threshold: s.spreadRatio,
    eventTs: end,
    details: { averageBps: round(average, 6), baselineBps: round(base, 6), lookback: baseline.length }
  }
}

export interface IndexPoint {
  /** Bucket start, µs. */
  bucket: number
  articles: number
  index: number
}

/**
 * A coin's hourly sentiment index moved by at least S between the start and the end of the window,
 * with enough articles in it. `points` are one code's hourly buckets, oldest first.
 */
export function sentimentSwing(
  code: string,
  points: readonly IndexPoint[],
  s: AlertSettings
): AlertDraft | undefined {
  if (s.sentimentSwing <= 0) return undefined
  const last = points[points.length - 1]
  if (last === undefined) return undefined
  const hour = 60 * MICROS_PER_MINUTE
  const window = s.sentimentWindowHours * hour
  const first = points.find(p => p.bucket >= last.bucket - window)
  if (first === undefined || first === last) return undefined
  const articles = points.filter(p => p.bucket > first.bucket).reduce((n, p) => n + p.articles, 0)
  if (articles < s.sentimentMinArticles) return undefined
  const swing = last.index - first.index
  if (Math.abs(swing) < s.sentimentSwing) return undefined
  const end = last.bucket + hour
  const who = code === '*' ? 'Crypto news' : code
  return {
    rule: `sentiment_swing_${s.sentimentWindowHours}h`,
    kind: 'sentiment_swing',
    symbol: code,
    severity: severity(swing, s.sentimentSwing),
    title: `${who} sentiment ${signed(swing)} in ${s.sentimentWindowHours} h`,
    message:
      `The sentiment index went from ${round(first.index)} to ${round(last.index)} over ${articles} article(s) ` +
      `up to ${hhmm(end)} UTC (threshold ${s.sentimentSwing}).`,
    value: round(swing, 4),
    threshold: s.sentimentSwing,
    eventTs: end,
    details: { from: round(first.index, 6), to: round(last.index, 6), articles }
  }
}
