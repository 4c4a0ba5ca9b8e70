/**
 * The trade ids of one symbol already counted in candles, as ranges of consecutive ids: Kraken's ids
 * are a per-pair sequence, so an in-order stream is a single range however many trades it holds, and
 * the set stays small enough to commit with every batch. A range is forgotten once its newest trade
 * is older than the lateness horizon: any repeat of it would be dropped as late anyway.
 */
export type SeenRange = [first: number, last: number, newestTs: number]

export class SeenTrades {
  /** Sorted by id, disjoint, never adjacent (adjacent ranges are merged). */
  #ranges: SeenRange[]

  constructor(ranges: readonly SeenRange[] = []) {
    this.#ranges = ranges.map(r => [r[0], r[1], r[2]])
  }

  has(id: number): boolean {
    const i = this.#indexAtOrBefore(id)
    const range = this.#ranges[i]
    return range !== undefined && id <= range[1]
  }

  add(id: number, ts: number): void {
    const ranges = this.#ranges
    const last = ranges[ranges.length - 1]
    // The common case: the next id of an in-order stream.
    if (last !== undefined && id === last[1] + 1) {
      last[1] = id
      last[2] = Math.max(last[2], ts)
      return
    }
    const i = this.#indexAtOrBefore(id)
    const before = ranges[i]
    const after = ranges[i + 1]
    if (before !== undefined && id <= before[1]) return
    const joinsBefore = before !== undefined && before[1] + 1 === id
    const joinsAfter = after !== undefined && after[0] - 1 === id
    if (joinsBefore && joinsAfter) {
      before[1] = after[1]
      before[2] = Math.max(before[2], after[2], ts)
      ranges.splice(i + 1, 1)
    } else if (joinsBefore) {
      before[1] = id
      before[2] = Math.max(before[2], ts)
    } else if (joinsAfter) {
      after[0] = id
      after[2] = Math.max(after[2], ts)
    } else {
      ranges.splice(i + 1, 0, [id, id, ts])
    }
  }

  /** Forgets ranges whose newest trade is older than `horizon` (µs). */
  prune(horizon: number): void {
    if (this.#ranges.some(r => r[2] < horizon)) this.#ranges = this.#ranges.filter(r => r[2] >= horizon)
  }

  toJSON(): SeenRange[] {
    return this.#ranges.map(r => [r[0], r[1], r[2]])
  }

  get size(): number {
    return this.#ranges.length
  }

  /** Index of the last range starting at or before `id`, or -1. */
  #indexAtOrBefore(id: number): number {
    let lo = 0
    let hi = this.#ranges.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if ((this.#ranges[mid] as SeenRange)[0] <= id) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found
  }
}
