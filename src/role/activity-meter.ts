/**
 * What a stage did lately, in the words the pipeline status reads from every health check
 * (api/pipeline/pipeline-status.ts): `recordsHandled` (cumulative), `lastEventAt` (ISO time of the
 * newest one) and `throughputPerSec` (over the last `windowMs`). A stage counts what passes through
 * it (a producer the records the bus acknowledged, the API the requests it answered and the live
 * events it pushed), and its heartbeat carries the figures, so the throughput is known from the
 * first heartbeat instead of the second.
 *
 * Bounded: one counter per second of the window, whatever the rate.
 */
export interface Activity {
  recordsHandled: number
  lastEventAt: string | null
  throughputPerSec: number
}

export class ActivityMeter {
  readonly #windowSeconds: number
  readonly #now: () => number
  readonly #startedAt: number
  /** Counts per second, indexed by epoch second modulo the window. */
  readonly #counts: Float64Array
  readonly #seconds: Float64Array
  #total = 0
  #lastAt: number | undefined

  constructor(options: { windowMs?: number; now?: () => number } = {}) {
    this.#windowSeconds = Math.max(1, Math.round((options.windowMs ?? 10_000) / 1000))
    this.#now = options.now ?? Date.now
    this.#startedAt = this.#now()
    this.#counts = new Float64Array(this.#windowSeconds)
    this.#seconds = new Float64Array(this.#windowSeconds).fill(-1)
  }

  /** `count` records handled now. */
  record(count = 1): void {
    if (count <= 0) return
    const now = this.#now()
    const second = Math.floor(now / 1000)
    const slot = second % this.#windowSeconds
    if (this.#seconds[slot] !== second) {
      this.#seconds[slot] = second
      this.#counts[slot] = 0
    }
    this.#counts[slot] = (this.#counts[slot] ?? 0) + count
    this.#total += count
    this.#lastAt = now
  }

  get total(): number {
    return this.#total
  }

  report(): Activity {
    const now = this.#now()
    const second = Math.floor(now / 1000)
    let recent = 0
    for (let slot = 0; slot < this.#windowSeconds; slot++) {
      const at = this.#seconds[slot] ?? -1
      if (at > second - this.#windowSeconds && at <= second) recent += this.#counts[slot] ?? 0
    }
    // A meter younger than its window divides by the time it has existed (at least a second).
    const span = Math.min(this.#windowSeconds, Math.max(1, (now - this.#startedAt) / 1000))
    return {
      recordsHandled: this.#total,
      lastEventAt: this.#lastAt === undefined ? null : new Date(this.#lastAt).toISOString(),
      throughputPerSec: Math.round((recent / span) * 100) / 100
    }
  }
}
