/**
 * Spread and mid of one symbol per interval, from its tickers in event time (the venue's time, or
 * the receive time when it sent none), with the same lateness rule and memory bound as candles
 * (candles/event-time-buckets.ts).
 * Mid and spread are exact decimals; the spread in basis points of the mid is a float statistic.
 */
import {
  type Decimal,
  formatDecimal,
  multiply,
  parseDecimal,
  subtract,
  add,
  toNumber
} from '../../../lib/decimal.ts'
import { microsToIso } from '../../../lib/event-time.ts'
import type { SpreadRow } from '../../../store/writers/spreads.ts'
import { type BucketSettings, EventTimeBuckets } from '../candles/event-time-buckets.ts'
import { INTERVALS, type Interval, type IntervalName } from '../candles/intervals.ts'

export interface SpreadBucket {
  readonly symbol: string
  readonly interval: IntervalName
  readonly bucket: number
  midClose: Decimal
  spreadClose: Decimal
  closeTs: number
  sumBps: number
  maxBps: number
  samples: number
}

export interface SpreadTick {
  readonly ts: number
  readonly bid: Decimal
  readonly ask: Decimal
}

/** `history`: buckets kept before the lateness horizon, the spread rule's baseline. */
export type SpreadSettings = BucketSettings

export interface TickerKeyState {
  watermark: number | null
}

const HALF: Decimal = { units: 5n, scale: 1 }

export class SymbolSpreads {
  readonly symbol: string
  readonly #buckets: EventTimeBuckets<SpreadBucket>
  readonly #changed = new Map<IntervalName, Set<SpreadBucket>>()

  constructor(
    symbol: string,
    settings: SpreadSettings,
    state?: TickerKeyState,
    buckets: readonly SpreadBucket[] = []
  ) {
    this.symbol = symbol
    this.#buckets = new EventTimeBuckets(settings, state?.watermark, buckets)
  }

  /** Applies a ticker; returns whether it counted and the one-minute bucket it closed, if any. */
  apply(tick: SpreadTick): { outcome: 'applied' | 'late'; closed?: SpreadBucket } {
    if (tick.ts < this.#buckets.lateBefore) return { outcome: 'late' }
    const mid = multiply(add(tick.bid, tick.ask), HALF)
    const spread = subtract(tick.ask, tick.bid)
    const bps = (toNumber(spread) / toNumber(mid)) * 10_000
    for (const interval of INTERVALS) this.#applyTo(interval, tick, mid, spread, bps)
    const closed = this.#buckets.advance(tick.ts)
    return closed === undefined ? { outcome: 'applied' } : { outcome: 'applied', closed }
  }

  #applyTo(interval: Interval, tick: SpreadTick, mid: Decimal, spread: Decimal, bps: number): void {
    const { bucket } = this.#buckets.bucketFor(interval, tick.ts, start => ({
      symbol: this.symbol,
      interval: interval.name,
      bucket: start,
      midClose: mid,
      spreadClose: spread,
      closeTs: tick.ts,
      sumBps: 0,
      maxBps: -Infinity,
      samples: 0
    }))
    // Equal times: the later record in partition order is the newer quote.
    if (tick.ts >= bucket.closeTs) {
      bucket.midClose = mid
      bucket.spreadClose = spread
      bucket.closeTs = tick.ts
    }
    bucket.sumBps += bps
    bucket.maxBps = Math.max(bucket.maxBps, bps)
    bucket.samples++
    const changed = this.#changed.get(interval.name) ?? new Set()
    this.#changed.set(interval.name, changed.add(bucket))
  }

  series(interval: IntervalName): readonly SpreadBucket[] {
    return this.#buckets.series(interval)
  }

  drainChanges(): SpreadBucket[] {
    const changed = [...this.#changed.values()].flatMap(set => [...set])
    this.#changed.clear()
    return changed
  }

  prune(): void {
    this.#buckets.prune()
  }

  /** Buckets held, every interval together. */
  get size(): number {
    return this.#buckets.size
  }

  toState(): TickerKeyState {
    return { watermark: this.#buckets.savedWatermark }
  }
}

export function spreadToRow(b: SpreadBucket): SpreadRow {
  return {
    symbol: b.symbol,
    interval: b.interval,
    bucket: microsToIso(b.bucket),
    midClose: formatDecimal(b.midClose),
    spreadClose: formatDecimal(b.spreadClose),
    spreadAvgBps: b.sumBps / b.samples,
    spreadMaxBps: b.maxBps,
    samples: b.samples,
    closeTs: microsToIso(b.closeTs),
    spreadSumBps: b.sumBps
  }
}

export function spreadFromRow(row: SpreadRow, bucket: number, closeTs: number): SpreadBucket {
  return {
    symbol: row.symbol,
    interval: row.interval as IntervalName,
    bucket,
    midClose: parseDecimal(row.midClose),
    spreadClose: parseDecimal(row.spreadClose),
    closeTs,
    sumBps: row.spreadSumBps,
    maxBps: row.spreadMaxBps,
    samples: row.samples
  }
}
