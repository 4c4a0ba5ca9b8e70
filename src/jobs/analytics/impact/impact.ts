/**
 * News impact, the method (docs/impact.md): how far a symbol's price moved in the horizons after an
 * article's publication, against how far it moves in an ordinary minute, and how much traded. Pure:
 * one-minute candles in, one result per horizon out, so that a recomputation from the same stored
 * candles gives the same answer whoever runs it and however often.
 *
 * With P = floor_minute(published):
 * - p0 = close of the latest candle starting in [P − 24 h, P); p_h = close of the latest candle starting
 *   in [P − 24 h, floor_minute(published + h)); return = p_h / p0 − 1 (exact, 12 decimals);
 * - σ = population standard deviation of the 1440 one-minute log returns of the minutes in
 *   [P − 24 h, P), a minute without trades keeping the previous close (Kraken's convention), counted
 *   from the first minute whose previous close is known; fewer than 30 returns: no σ;
 * - abnormal = return / (σ √(h in minutes)), 6 decimals; null without σ or when σ is 0;
 * - volume ratio = volume of the candles in [P, floor_minute(published + h)) over the volume in
 *   [P − 24 h, P) scaled to the same length (exact, 6 decimals); null when nothing traded before.
 * No candle in the 24 h before P: every figure is null (unknown, not zero).
 *
 * The candles are those /api/candles shows: the pipeline's own, and the exchange's history where it
 * has none (store/writers/impact.ts reads them so).
 */
import {
  type Decimal,
  ZERO,
  add,
  compare,
  divide,
  formatDecimal,
  isPositive,
  multiply,
  subtract,
  toNumber
} from '../../../lib/decimal.ts'
import { MICROS_PER_MINUTE } from '../../../lib/event-time.ts'
import { type ImpactHorizon, ImpactHorizons } from '../../../contract/vocabulary.ts'

/**
 * Each horizon's length. The names are the contract's (the API and the dashboard read them from
 * there); keyed by its type, a horizon added to or removed from the contract fails the type check
 * here until it has a length, so the job never computes a horizon the API does not know.
 */
const HORIZON_MINUTES: Readonly<Record<ImpactHorizon, number>> = {
  '5m': 5,
  '30m': 30,
  '2h': 120,
  '24h': 1440
}

export const IMPACT_HORIZONS: readonly { name: ImpactHorizon; minutes: number }[] = ImpactHorizons.map(
  name => ({
    name,
    minutes: HORIZON_MINUTES[name]
  })
)

/** Minutes of history before the publication that σ, p0 and the volume baseline read. */
export const BASELINE_MINUTES = 1440
/** Fewer one-minute returns than this before the publication: σ is not estimated. */
export const MIN_RETURNS = 30
/** How long after its window a horizon without any price before the publication stays open. */
export const UNKNOWN_SETTLES_MICROS = BASELINE_MINUTES * MICROS_PER_MINUTE
export const RETURN_SCALE = 12
export const RATIO_SCALE = 6

export interface MinuteCandle {
  /** Bucket start, µs since the epoch. */
  bucket: number
  close: Decimal
  volume: Decimal
}

export interface HorizonImpact {
  horizon: ImpactHorizon
  /** floor_minute(published + h), µs: the candles read start before it. */
  windowEnd: number
  p0: Decimal | null
  pH: Decimal | null
  returnH: Decimal | null
  sigma: number | null
  /** Decimal text at 6 decimals. */
  abnormal: string | null
  volumeRatio: Decimal | null
  /** No trade the job still accepts can change this horizon's candles. */
  final: boolean
}

export interface ImpactInput {
  publishedMicros: number
  /** One-minute candles of the symbol; at least [P − 24 h − 1 min, the last window end). */
  series: MinuteSeries
  /** The symbol's event-time watermark in the analytics job (null: no trade seen yet). */
  watermark: number | null
  latenessMicros: number
}

const ONE: Decimal = { units: 1n, scale: 0 }

export const floorMinute = (micros: number): number =>
  Math.floor(micros / MICROS_PER_MINUTE) * MICROS_PER_MINUTE

/** The earliest candle the computation reads, for a publication time. */
export const firstCandleNeeded = (publishedMicros: number): number =>
  floorMinute(publishedMicros) - (BASELINE_MINUTES + 1) * MICROS_PER_MINUTE

export const windowEndOf = (publishedMicros: number, minutes: number): number =>
  floorMinute(publishedMicros + minutes * MICROS_PER_MINUTE)

/**
 * One symbol's one-minute candles, read many times over (every article about the symbol): closes
 * found and volumes summed by binary search over running totals, so an article costs a few lookups
 * and its σ one pass over its day, whatever the span loaded.
 */
export class MinuteSeries {
  readonly #candles: readonly MinuteCandle[]
  readonly #buckets: number[]
  readonly #closes: number[]
  /** #totals[i]: the volume of the candles before index i (exact). */
  readonly #totals: Decimal[]

  /** `candles` oldest first, each bucket a minute start. */
  constructor(candles: readonly MinuteCandle[]) {
    this.#candles = candles
    this.#buckets = candles.map(c => c.bucket)
    this.#closes = candles.map(c => toNumber(c.close))
    this.#totals = [ZERO]
    for (const c of candles)
      this.#totals.push(add(this.#totals[this.#totals.length - 1] as Decimal, c.volume))
  }

  /** Index of the first candle starting at or after `time`. */
  #first(time: number): number {
    let low = 0
    let high = this.#buckets.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if ((this.#buckets[mid] as number) < time) low = mid + 1
      else high = mid
    }
    return low
  }

  /** Latest close among candles starting in [from, before). */
  closeBefore(from: number, before: number): Decimal | null {
    const i = this.#first(before) - 1
    return i >= 0 && (this.#buckets[i] as number) >= from ? (this.#candles[i] as MinuteCandle).close : null
  }

  /** Volume of the candles starting in [from, before), exact. */
  volumeIn(from: number, before: number): Decimal {
    return subtract(this.#totals[this.#first(before)] as Decimal, this.#totals[this.#first(from)] as Decimal)
  }

  /** σ of the one-minute log returns in [start − 24 h, start), gaps carrying the previous close. */
  sigma(start: number): number | null {
    const from = start - BASELINE_MINUTES * MICROS_PER_MINUTE
    let i = this.#first(from - MICROS_PER_MINUTE)
    const at = (minute: number): number | undefined =>
      this.#buckets[i] === minute ? (this.#closes[i++] as number) : undefined
    let previous = at(from - MICROS_PER_MINUTE)
    const returns: number[] = []
    for (let minute = from; minute < start; minute += MICROS_PER_MINUTE) {
      const close = at(minute) ?? previous
      if (previous !== undefined && close !== undefined) returns.push(Math.log(close / previous))
      previous = close
    }
    if (returns.length < MIN_RETURNS) return null
    const mean = returns.reduce((sum, r) => sum + r, 0) / returns.length
    return Math.sqrt(returns.reduce((sum, r) => sum + (r - mean) ** 2, 0) / returns.length)
  }
}

/** Six decimals, without a negative zero. */
function sixDecimals(value: number): string | null {
  if (!Number.isFinite(value)) return null
  const text = value.toFixed(RATIO_SCALE)
  return Number(text) === 0 ? (0).toFixed(RATIO_SCALE) : text
}

export function computeImpact(input: ImpactInput): HorizonImpact[] {
  const { series, publishedMicros } = input
  const start = floorMinute(publishedMicros)
  const from = start - BASELINE_MINUTES * MICROS_PER_MINUTE
  const p0 = series.closeBefore(from, start)
  const sigma = p0 === null ? null : series.sigma(start)
  const baseline = series.volumeIn(from, start)
  const settledBefore = input.watermark === null ? -Infinity : input.watermark - input.latenessMicros
  return IMPACT_HORIZONS.map(({ name, minutes }) => {
    const windowEnd = windowEndOf(publishedMicros, minutes)
    // A trade older than watermark − lateness is refused, so candles ending by then are settled.
    // Without a price before the publication the exchange's history may still be loading (start-up):
    // such a horizon settles a day later, so that rows without history are not recomputed forever.
    const final = windowEnd + (p0 === null ? UNKNOWN_SETTLES_MICROS : 0) <= settledBefore
    if (p0 === null || !isPositive(p0)) {
      return {
        horizon: name,
        windowEnd,
        p0,
        pH: null,
        returnH: null,
        sigma,
        abnormal: null,
        volumeRatio: null,
        final
      }
    }
    const pH = series.closeBefore(from, windowEnd) ?? p0
    const returnH = subtract(divide(pH, p0, RETURN_SCALE, 'half-even'), ONE)
    const abnormal =
      sigma === null || sigma === 0 ? null : sixDecimals(toNumber(returnH) / (sigma * Math.sqrt(minutes)))
    const volumeRatio =
      compare(baseline, ZERO) > 0
        ? divide(
            multiply(series.volumeIn(start, windowEnd), { units: BigInt(BASELINE_MINUTES), scale: 0 }),
            multiply(baseline, { units: BigInt(minutes), scale: 0 }),
            RATIO_SCALE,
            'half-even'
          )
        : null
    return { horizon: name, windowEnd, p0, pH, returnH, sigma, abnormal, volumeRatio, final }
  })
}

export const formatOrNull = (value: Decimal | null): string | null =>
  value === null ? null : formatDecimal(value)
