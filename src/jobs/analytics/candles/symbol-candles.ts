/**
 * The candles of one symbol at every interval, built in event time from its trades in partition
 * order. A trade older than the symbol's watermark (its newest trade time) by more than the allowed
 * lateness is left out; one seen before is ignored; any other updates the candle of its bucket,
 * however late, so results do not depend on arrival order within the lateness.
 *
 * Memory per interval: every candle a trade may still change (buckets from the lateness horizon on)
 * plus the `history` candles before them, which is what indicators and alert rules read. The same
 * selection is what a restart loads from the database, so state after a rebuild equals state after
 * an uninterrupted run.
 */
import { MICROS_PER_MINUTE } from '../../../lib/event-time.ts'
import { type Candle, type CandleTrade, applyTrade, openCandle } from './candle.ts'
import { INTERVALS, type Interval, type IntervalName, bucketOf } from './intervals.ts'
import { type SeenRange, SeenTrades } from './seen-trades.ts'

export type TradeOutcome = 'applied' | 'late' | 'duplicate'

export interface CandleSettings {
  readonly latenessMicros: number
  /** Candles kept before the lateness horizon, per interval. */
  readonly history: number
}

/** What is committed per symbol beside the candles (job_state). */
export interface TradeKeyState {
  watermark: number | null
  seen: SeenRange[]
}

const ONE_MINUTE = INTERVALS[0] as Interval

export class SymbolCandles {
  readonly symbol: string
  readonly #settings: CandleSettings
  readonly #series = new Map<IntervalName, Candle[]>()
  /** Earliest bucket changed per interval since the last drain. */
  readonly #changed = new Map<IntervalName, number>()
  readonly #seen: SeenTrades
  #watermark: number

  constructor(
    symbol: string,
    settings: CandleSettings,
    state?: TradeKeyState,
    candles: readonly Candle[] = []
  ) {
    this.symbol = symbol
    this.#settings = settings
    this.#watermark = state?.watermark ?? -Infinity
    this.#seen = new SeenTrades(state?.seen ?? [])
    for (const interval of INTERVALS) this.#series.set(interval.name, [])
    for (const candle of [...candles].sort((a, b) => a.bucket - b.bucket)) {
      this.#series.get(candle.interval)?.push(candle)
    }
  }

  get watermark(): number {
    return this.#watermark
  }

  /**
   * Applies one trade. Returns what happened and, when the trade moved the watermark into a later
   * minute, the one-minute candle that was current until then (closed in event time: the alert
   * rules look at it).
   */
  apply(trade: CandleTrade): { outcome: TradeOutcome; closed?: Candle } {
    if (trade.ts < this.#watermark - this.#settings.latenessMicros) return { outcome: 'late' }
    if (this.#seen.has(trade.tradeId)) return { outcome: 'duplicate' }
    for (const interval of INTERVALS) this.#applyTo(interval, trade)
    this.#seen.add(trade.tradeId, trade.ts)
    const previous = this.#watermark
    if (trade.ts <= previous) return { outcome: 'applied' }
    this.#watermark = trade.ts
    const previousMinute = Number.isFinite(previous) ? bucketOf(previous, ONE_MINUTE) : undefined
    if (previousMinute === undefined || bucketOf(trade.ts, ONE_MINUTE) === previousMinute) {
      return { outcome: 'applied' }
    }
    const closed = this.#find('1m', previousMinute)
    return closed === undefined ? { outcome: 'applied' } : { outcome: 'applied', closed }
  }

  #applyTo(interval: Interval, trade: CandleTrade): void {
    const bucket = bucketOf(trade.ts, interval)
    const series = this.#series.get(interval.name) as Candle[]
    let index = series.length - 1
    while (index >= 0 && (series[index] as Candle).bucket > bucket) index--
    const existing = series[index]
    if (existing !== undefined && existing.bucket === bucket) applyTrade(existing, trade)
    else series.splice(index + 1, 0, openCandle(this.symbol, interval.name, bucket, trade))
    const earliest = this.#changed.get(interval.name)
    if (earliest === undefined || bucket < earliest) this.#changed.set(interval.name, bucket)
  }

  #find(interval: IntervalName, bucket: number): Candle | undefined {
    const series = this.#series.get(interval) ?? []
    for (let i = series.length - 1; i >= 0; i--) {
      const candle = series[i] as Candle
      if (candle.bucket === bucket) return candle
      if (candle.bucket < bucket) return undefined
    }
    return undefined
  }

  /** Candles of an interval, oldest first (live view: do not keep it across applies). */
  series(interval: IntervalName): readonly Candle[] {
    return this.#series.get(interval) ?? []
  }

  /** Per interval, the earliest bucket changed since the last call; then forgets them. */
  drainChanges(): Map<IntervalName, number> {
    const changes = new Map(this.#changed)
    this.#changed.clear()
    return changes
  }

  /** First bucket of an interval that a trade may still change. */
  horizon(interval: Interval): number {
    return Number.isFinite(this.#watermark)
      ? bucketOf(this.#watermark - this.#settings.latenessMicros, interval)
      : -Infinity
  }

  /** Drops what no trade can change and no indicator or rule will read again; call between batches. */
  prune(): void {
    for (const interval of INTERVALS) {
      const series = this.#series.get(interval.name) as Candle[]
      const horizon = this.horizon(interval)
      let first = series.findIndex(c => c.bucket >= horizon)
      if (first === -1) first = series.length
      const drop = first - this.#settings.history
      if (drop > 0) series.splice(0, drop)
    }
    this.#seen.prune(this.#watermark - this.#settings.latenessMicros)
  }

  toState(): TradeKeyState {
    return {
      watermark: Number.isFinite(this.#watermark) ? this.#watermark : null,
      seen: this.#seen.toJSON()
    }
  }
}

/** One-minute buckets spanned by the lateness, for sizing. */
export function latenessMinutes(latenessMicros: number): number {
  return Math.ceil(latenessMicros / MICROS_PER_MINUTE)
}
