/**
 * The candles of one symbol at every interval, built in event time from its trades in partition
 * order (event-time-buckets.ts: the watermark, the lateness rule and what is kept in memory). A late
 * trade is left out; one seen before is ignored; any other updates the candle of its bucket.
 *
 * A trade updates its one-minute candle at once (the alert rules read closed minutes as trades
 * arrive) and the trades of each minute are summed aside; the longer intervals take those sums when
 * they are next read (series, drainChanges, prune: between batches), one merge per minute instead of
 * four updates per trade. Merging sums, extremes and counts is exact, and a tie in high or low goes
 * to the trade that came first, as one-by-one updates would have it: the candles are the same.
 */
import { type Decimal, multiply } from '../../../lib/decimal.ts'
import { MICROS_PER_MINUTE } from '../../../lib/event-time.ts'
import {
  type Candle,
  type CandleTrade,
  NEW_HIGH,
  NEW_LOW,
  applyTrade,
  mergeCandle,
  openCandle
} from './candle.ts'
import { type BucketSettings, EventTimeBuckets } from './event-time-buckets.ts'
import { INTERVALS, type Interval, type IntervalName } from './intervals.ts'
import { type SeenRange, SeenTrades } from './seen-trades.ts'

const ONE_MINUTE = INTERVALS[0] as Interval
const LONGER = INTERVALS.slice(1)

/** The trades of one minute applied since the last merge, and when its extremes arrived. */
interface MinuteSum {
  readonly sum: Candle
  /** Sequence numbers (apply order) of the trades that set the sum's high and low. */
  highSeq: number
  lowSeq: number
}

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
  /** Per minute (bucket start), the trades not yet merged into the longer intervals. */
  readonly #pending = new Map<number, MinuteSum>()
  #sequence = 0

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
    const notional = trade.notional ?? multiply(trade.price, trade.qty)
    const { bucket: candle, opened } = this.#candles.bucketFor(ONE_MINUTE, trade.ts, start =>
      openCandle(this.symbol, '1m', start, trade, notional)
    )
    if (!opened) applyTrade(candle, trade, notional)
    this.#markChanged('1m', candle.bucket)
    this.#addToMinute(candle.bucket, trade, notional)
    this.#seen.add(trade.tradeId, trade.ts)
    const closed = this.#candles.advance(trade.ts)
    return closed === undefined ? { outcome: 'applied' } : { outcome: 'applied', closed }
  }

  #markChanged(interval: IntervalName, bucket: number): void {
    const earliest = this.#changed.get(interval)
    if (earliest === undefined || bucket < earliest) this.#changed.set(interval, bucket)
  }

  #addToMinute(minute: number, trade: CandleTrade, notional: Decimal): void {
    const seq = ++this.#sequence
    const pending = this.#pending.get(minute)
    if (pending === undefined) {
      const sum = openCandle(this.symbol, '1m', minute, trade, notional)
      this.#pending.set(minute, { sum, highSeq: seq, lowSeq: seq })
      return
    }
    const extremes = applyTrade(pending.sum, trade, notional)
    if ((extremes & NEW_HIGH) !== 0) pending.highSeq = seq
    if ((extremes & NEW_LOW) !== 0) pending.lowSeq = seq
  }

  /** Merges the pending minutes into the longer intervals. */
  #merge(): void {
    if (this.#pending.size === 0) return
    for (const interval of LONGER) {
      // Candles opened or given an extreme by this merge: the sequence numbers of their extremes
      // (a candle absent here holds only trades from before every pending one).
      const extremes = new Map<Candle, { high: number; low: number }>()
      for (const [minute, { sum, highSeq, lowSeq }] of this.#pending) {
        const { bucket: candle, opened } = this.#candles.bucketFor(interval, minute, start => ({
          ...sum,
          interval: interval.name,
          bucket: start
        }))
        if (opened) extremes.set(candle, { high: highSeq, low: lowSeq })
        else {
          const own = extremes.get(candle)
          const taken = mergeCandle(candle, sum, {
            high: own !== undefined && highSeq < own.high,
            low: own !== undefined && lowSeq < own.low
          })
          if (taken !== 0) {
            const seqs = own ?? { high: 0, low: 0 }
            if ((taken & NEW_HIGH) !== 0) seqs.high = highSeq
            if ((taken & NEW_LOW) !== 0) seqs.low = lowSeq
            extremes.set(candle, seqs)
          }
        }
        this.#markChanged(interval.name, candle.bucket)
      }
    }
    this.#pending.clear()
  }

  /** Candles of an interval, oldest first (live view: do not keep it across applies). */
  series(interval: IntervalName): readonly Candle[] {
    if (interval !== '1m') this.#merge()
    return this.#candles.series(interval)
  }

  /** Per interval, the earliest bucket changed since the last call; then forgets them. */
  drainChanges(): Map<IntervalName, number> {
    this.#merge()
    const changes = new Map(this.#changed)
    this.#changed.clear()
    return changes
  }

  /** Drops what no trade can change and no indicator or rule will read again; call between batches. */
  prune(): void {
    this.#merge()
    this.#candles.prune()
    this.#seen.prune(this.#candles.lateBefore)
  }

  /** What this symbol holds: candles (every interval) and ranges of seen trade ids. */
  footprint(): { candles: number; seenRanges: number } {
    return { candles: this.#candles.size, seenRanges: this.#seen.size }
  }

  /** The newest trade time applied (µs), as committed: null before the first trade. */
  get watermark(): number | null {
    return this.#candles.savedWatermark
  }

  toState(): TradeKeyState {
    return { watermark: this.#candles.savedWatermark, seen: this.#seen.toJSON() }
  }
}

/** One-minute buckets spanned by the lateness, for sizing. */
export function latenessMinutes(latenessMicros: number): number {
  return Math.ceil(latenessMicros / MICROS_PER_MINUTE)
}
