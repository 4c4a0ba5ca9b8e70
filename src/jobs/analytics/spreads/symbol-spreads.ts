/**
 * Spread and mid of one symbol per interval, from its tickers in event time (the venue's time, or
 * the receive time when it sent none), with the same lateness rule and memory bound as candles.
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
import { INTERVALS, type Interval, type IntervalName, bucketOf } from '../candles/intervals.ts'

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

export interface SpreadSettings {
  readonly latenessMicros: number
  /** Buckets kept before the lateness horizon (the spread rule's baseline). */
  readonly history: number
}

export interface TickerKeyState {
  watermark: number | null
}

const HALF: Decimal = { units: 5n, scale: 1 }
const ONE_MINUTE = INTERVALS[0] as Interval

export class SymbolSpreads {
  readonly symbol: string
  readonly #settings: SpreadSettings
  readonly #series = new Map<IntervalName, SpreadBucket[]>()
  readonly #changed = new Map<IntervalName, Set<SpreadBucket>>()
  #watermark: number

  constructor(
    symbol: string,
    settings: SpreadSettings,
    state?: TickerKeyState,
    buckets: readonly SpreadBucket[] = []
  ) {
    this.symbol = symbol
    this.#settings = settings
    this.#watermark = state?.watermark ?? -Infinity
    for (const interval of INTERVALS) this.#series.set(interval.name, [])
    for (const bucket of [...buckets].sort((a, b) => a.bucket - b.bucket)) {
      this.#series.get(bucket.interval)?.push(bucket)
    }
  }

  /** Applies a ticker; returns whether it counted and the one-minute bucket it closed, if any. */
  apply(tick: SpreadTick): { outcome: 'applied' | 'late'; closed?: SpreadBucket } {
    if (tick.ts < this.#watermark - this.#settings.latenessMicros) return { outcome: 'late' }
    const mid = multiply(add(tick.bid, tick.ask), HALF)
    const spread = subtract(tick.ask, tick.bid)
    const bps = (toNumber(spread) / toNumber(mid)) * 10_000
    for (const interval of INTERVALS) this.#applyTo(interval, tick, mid, spread, bps)
    const previous = this.#watermark
    if (tick.ts <= previous) return { outcome: 'applied' }
    this.#watermark = tick.ts
    if (!Number.isFinite(previous)) return { outcome: 'applied' }
    const previousMinute = bucketOf(previous, ONE_MINUTE)
    if (bucketOf(tick.ts, ONE_MINUTE) === previousMinute) return { outcome: 'applied' }
    const closed = (this.#series.get('1m') ?? []).find(b => b.bucket === previousMinute)
    return closed === undefined ? { outcome: 'applied' } : { outcome: 'applied', closed }
  }

  #applyTo(interval: Interval, tick: SpreadTick, mid: Decimal, spread: Decimal, bps: number): void {
    const start = bucketOf(tick.ts, interval)
    const series = this.#series.get(interval.name) as SpreadBucket[]
    let index = series.length - 1
    while (index >= 0 && (series[index] as SpreadBucket).bucket > start) index--
    let bucket = series[index]
    if (bucket === undefined || bucket.bucket !== start) {
      bucket = {
        symbol: this.symbol,
        interval: interval.name,
        bucket: start,
        midClose: mid,
        spreadClose: spread,
        closeTs: tick.ts,
        sumBps: 0,
        maxBps: -Infinity,
        samples: 0
      }
      series.splice(index + 1, 0, bucket)
    }
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
    return this.#series.get(interval) ?? []
  }

  drainChanges(): SpreadBucket[] {
    const changed = [...this.#changed.values()].flatMap(set => [...set])
    this.#changed.clear()
    return changed
  }

  horizon(interval: Interval): number {
    return Number.isFinite(this.#watermark)
      ? bucketOf(this.#watermark - this.#settings.latenessMicros, interval)
      : -Infinity
  }

  prune(): void {
    for (const interval of INTERVALS) {
      const series = this.#series.get(interval.name) as SpreadBucket[]
      const horizon = this.horizon(interval)
      let first = series.findIndex(b => b.bucket >= horizon)
      if (first === -1) first = series.length
      const drop = first - this.#settings.history
      if (drop > 0) series.splice(0, drop)
    }
  }

  toState(): TickerKeyState {
    return { watermark: Number.isFinite(this.#watermark) ? this.#watermark : null }
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
