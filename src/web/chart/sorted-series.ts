/**
 * A time-ordered series (the chart's model of one line or the candles): merging a page of history
 * and upserting one live point, saying which kind of change it was, so the facade can pick the
 * cheap chart call (`update` of the last point) over redrawing everything (`setData`).
 */
export interface Point {
  time: number
}

/** How an upsert changed the series: the facade maps each to a chart call. */
export type Change = 'append' | 'replace-last' | 'replace-older' | 'insert'

export class SortedSeries<T extends Point> {
  #items: T[] = []

  get items(): readonly T[] {
    return this.#items
  }

  get length(): number {
    return this.#items.length
  }

  get first(): T | undefined {
    return this.#items[0]
  }

  get last(): T | undefined {
    return this.#items[this.#items.length - 1]
  }

  reset(items: readonly T[]): void {
    this.#items = [...items].sort((a, b) => a.time - b.time)
    this.#items = dedupe(this.#items)
  }

  /** Adds a page of history; points at existing times keep the newer value (the live one). */
  merge(items: readonly T[]): number {
    const before = this.#items.length
    const known = new Set(this.#items.map(item => item.time))
    const fresh = items.filter(item => !known.has(item.time))
    if (fresh.length === 0) return 0
    this.#items = dedupe([...fresh, ...this.#items].sort((a, b) => a.time - b.time))
    return this.#items.length - before
  }

  upsert(item: T): Change {
    const last = this.last
    if (last === undefined || item.time > last.time) {
      this.#items.push(item)
      return 'append'
    }
    if (item.time === last.time) {
      this.#items[this.#items.length - 1] = item
      return 'replace-last'
    }
    const index = this.indexOf(item.time)
    if (index >= 0) {
      this.#items[index] = item
      return 'replace-older'
    }
    this.#items.splice(-index - 1, 0, item)
    return 'insert'
  }

  /** Binary search: the index of `time`, or -(insertion point) - 1 when absent. */
  indexOf(time: number): number {
    let low = 0
    let high = this.#items.length - 1
    while (low <= high) {
      const mid = (low + high) >> 1
      const value = this.#items[mid]?.time ?? 0
      if (value < time) low = mid + 1
      else if (value > time) high = mid - 1
      else return mid
    }
    return -low - 1
  }

  at(time: number): T | undefined {
    const index = this.indexOf(time)
    return index >= 0 ? this.#items[index] : undefined
  }
}

function dedupe<T extends Point>(sorted: T[]): T[] {
  return sorted.filter((item, i) => i === 0 || sorted[i - 1]?.time !== item.time)
}
