/**
 * The buckets of one symbol at every interval, in event time, under a watermark (the newest event
 * time seen) and an allowed lateness: what candles (from trades) and spreads (from tickers) share.
 * An event older than the watermark by more than the lateness is late; any other goes to the bucket
 * of its time, however late, so results do not depend on arrival order within the lateness.
 *
 * Memory per interval: every bucket an event may still change (from the lateness horizon on) plus
 * the `history` buckets before them, which is what indicators and alert rules read. The same
 * selection is what a restart loads from the database, so state after a rebuild equals state after
 * an uninterrupted run.
 */
import { INTERVALS, type Interval, type IntervalName, bucketOf } from './intervals.ts'

export interface Bucket {
  readonly interval: IntervalName
  /** Start of the bucket, µs since the epoch. */
  readonly bucket: number
}

export interface BucketSettings {
  readonly latenessMicros: number
  /** Buckets kept before the lateness horizon, per interval. */
  readonly history: number
}

const ONE_MINUTE = INTERVALS[0] as Interval

export class EventTimeBuckets<B extends Bucket> {
  readonly #settings: BucketSettings
  readonly #series = new Map<IntervalName, B[]>()
  #watermark: number

  /** `watermark` and `buckets` as committed (null: no event yet); buckets in any order. */
  constructor(settings: BucketSettings, watermark: number | null = null, buckets: readonly B[] = []) {
    this.#settings = settings
    this.#watermark = watermark ?? -Infinity
    for (const interval of INTERVALS) this.#series.set(interval.name, [])
    for (const bucket of [...buckets].sort((a, b) => a.bucket - b.bucket)) {
      this.#series.get(bucket.interval)?.push(bucket)
    }
  }

  /** Events before this time are late. */
  get lateBefore(): number {
    return this.#watermark - this.#settings.latenessMicros
  }

  /** The watermark as committed: null before the first event. */
  get savedWatermark(): number | null {
    return Number.isFinite(this.#watermark) ? this.#watermark : null
  }

  /** The bucket of `ts` in `interval`; when there is none yet, `open(start)` is kept in time order. */
  bucketFor(interval: Interval, ts: number, open: (start: number) => B): { bucket: B; opened: boolean } {
    const start = bucketOf(ts, interval)
    const series = this.#series.get(interval.name) as B[]
    let index = series.length - 1
    while (index >= 0 && (series[index] as B).bucket > start) index--
    const existing = series[index]
    if (existing !== undefined && existing.bucket === start) return { bucket: existing, opened: false }
    const bucket = open(start)
    series.splice(index + 1, 0, bucket)
    return { bucket, opened: true }
  }

  /**
   * Moves the watermark to `ts` if it is later. When that enters a later minute, returns the
   * one-minute bucket that was current until then (closed in event time: the alert rules look at it).
   */
  advance(ts: number): B | undefined {
    const previous = this.#watermark
    if (ts <= previous) return undefined
    this.#watermark = ts
    if (!Number.isFinite(previous)) return undefined
    const previousMinute = bucketOf(previous, ONE_MINUTE)
    if (bucketOf(ts, ONE_MINUTE) === previousMinute) return undefined
    return this.#find('1m', previousMinute)
  }

  #find(interval: IntervalName, start: number): B | undefined {
    const series = this.#series.get(interval) ?? []
    for (let i = series.length - 1; i >= 0; i--) {
      const bucket = series[i] as B
      if (bucket.bucket === start) return bucket
      if (bucket.bucket < start) return undefined
    }
    return undefined
  }

  /** Buckets held, all intervals together: what prune() bounds (history + lateness, per interval). */
  get size(): number {
    let size = 0
    for (const series of this.#series.values()) size += series.length
    return size
  }

  /** Buckets of an interval, oldest first (live view: do not keep it across events). */
  series(interval: IntervalName): readonly B[] {
    return this.#series.get(interval) ?? []
  }

  /** Drops what no event can change and no indicator or rule will read again; call between batches. */
  prune(): void {
    for (const interval of INTERVALS) {
      const series = this.#series.get(interval.name) as B[]
      // The first bucket a late-enough event may still change.
      const horizon = Number.isFinite(this.#watermark) ? bucketOf(this.lateBefore, interval) : -Infinity
      let first = series.findIndex(b => b.bucket >= horizon)
      if (first === -1) first = series.length
      const drop = first - this.#settings.history
      if (drop > 0) series.splice(0, drop)
    }
  }
}
