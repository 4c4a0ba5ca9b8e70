/**
 * The candles of one symbol at every interval, built in event time from its trades in partition
 * order (event-time-buckets.ts: the watermark, the lateness rule and what is kept in memory). A late
 * trade is left out; one seen before is ignored; any other updates the candle of its bucket.
 */
import { MICROS_PER_MINUTE } from '../../../lib/event-time.ts'
import { type Candle, type CandleTrade, applyTrade, openCandle } from './candle.ts'
import { type BucketSettings, EventTimeBuckets } from './event-time-buckets.ts'
import { INTERVALS, type IntervalName } from './intervals.ts'
import { type SeenRange, SeenTrades } from './seen-trades.ts'

export type TradeOutcome = 'applied' | 'late' | 'duplicate'

export type CandleSettings = BucketSettings

/** What is committed per symbol beside the candles (job_state). */
export interface TradeKeyState {
  watermark: number | null
  seen: SeenRange[]
}

export class SymbolCandles {
  readonly symbol: string
  readonly #candles: EventTimeBuckets<Candle>
  /** Earliest bucket changed per interval since the last drain. */
  readonly #changed = new Map<IntervalName, number>()
  readonly #seen: SeenTrades

  constructor(
    symbol: string,
    settings: CandleSettings,
    state?: TradeKeyState,
    candles: readonly Candle[] = []
  ) {
    this.symbol = symbol
    this.#candles = new EventTimeBuckets(settings, state?.watermark, candles)
    this.#seen = new SeenTrades(state?.seen ?? [])
  }

  /**
   * Applies one trade. Returns what happened and, when the trade moved the watermark into a later
   * minute, the one-minute candle that was current until then.
   */
  apply(trade: CandleTrade): { outcome: TradeOutcome; closed?: Candle } {
    if (trade.ts < this.#candles.lateBefore) return { outcome: 'late' }
    if (this.#seen.has(trade.tradeId)) return { outcome: 'duplicate' }
    for (const interval of INTERVALS) {
      const { bucket: candle, opened } = this.#candles.bucketFor(interval, trade.ts, start =>
        openCandle(this.symbol, interval.name, start, trade)
      )
      if (!opened) applyTrade(candle, trade)
      const earliest = this.#changed.get(interval.name)
      if (earliest === undefined || candle.bucket < earliest) this.#changed.set(interval.name, candle.bucket)
    }
    this.#seen.add(trade.tradeId, trade.ts)
    const closed = this.#candles.advance(trade.ts)
    return closed === undefined ? { outcome: 'applied' } : { outcome: 'applied', closed }
  }

  /** Candles of an interval, oldest first (live view: do not keep it across applies). */
  series(interval: IntervalName): readonly Candle[] {
    return this.#candles.series(interval)
  }

  /** Per interval, the earliest bucket changed since the last call; then forgets them. */
  drainChanges(): Map<IntervalName, number> {
    const changes = new Map(this.#changed)
    this.#changed.clear()
    return changes
  }

  /** Drops what no trade can change and no indicator or rule will read again; call between batches. */
  prune(): void {
    this.#candles.prune()
    this.#seen.prune(this.#candles.lateBefore)
  }

  /** What this symbol holds: candles (every interval) and ranges of seen trade ids. */
  footprint(): { candles: number; seenRanges: number } {
    return { candles: this.#candles.size, seenRanges: this.#seen.size }
  }

  toState(): TradeKeyState {
    return { watermark: this.#candles.savedWatermark, seen: this.#seen.toJSON() }
  }
}

/** One-minute buckets spanned by the lateness, for sizing. */
export function latenessMinutes(latenessMicros: number): number {
  return Math.ceil(latenessMicros / MICROS_PER_MINUTE)
}
