/**
 * The simulator's order book for one symbol: levels keyed by price lexeme, from which it derives
 * what each subscriber sees (the top `depth` levels), the diff between two views (how Kraken
 * refills depth after a delete) and the checksum of a view.
 */
import { type WireLevel, wireChecksum } from './book-checksum.ts'

export interface BookView {
  bids: WireLevel[]
  asks: WireLevel[]
}

export class SimBook {
  readonly #bids = new Map<string, string>()
  readonly #asks = new Map<string, string>()
  // Sorted sides, rebuilt on the first read after a change: every subscriber's view and the ticker
  // read the same book many times per change.
  #sorted: BookView | undefined

  set(side: 'bid' | 'ask', price: string, qty: string): void {
    const levels = side === 'bid' ? this.#bids : this.#asks
    if (Number(qty) === 0) levels.delete(price)
    else levels.set(price, qty)
    this.#sorted = undefined
  }

  /** Keeps the best `depth` levels per side, as a client subscribed at that depth does. */
  truncate(depth: number): void {
    const { bids, asks } = this.view(depth)
    const keep = (levels: Map<string, string>, kept: WireLevel[]): void => {
      const prices = new Set(kept.map(level => level.price))
      for (const price of [...levels.keys()]) if (!prices.has(price)) levels.delete(price)
    }
    keep(this.#bids, bids)
    keep(this.#asks, asks)
    this.#sorted = undefined
  }

  clear(): void {
    this.#bids.clear()
    this.#asks.clear()
    this.#sorted = undefined
  }

  view(depth: number): BookView {
    const sort = (levels: Map<string, string>, descending: boolean): WireLevel[] =>
      [...levels]
        .map(([price, qty]) => ({ price, qty, value: Number(price) }))
        .sort((a, b) => (descending ? b.value - a.value : a.value - b.value))
        .map(({ price, qty }) => ({ price, qty }))
    this.#sorted ??= { bids: sort(this.#bids, true), asks: sort(this.#asks, false) }
    return { bids: this.#sorted.bids.slice(0, depth), asks: this.#sorted.asks.slice(0, depth) }
  }

  bestBid(): WireLevel | undefined {
    return this.view(1).bids[0]
  }

  bestAsk(): WireLevel | undefined {
    return this.view(1).asks[0]
  }
}

export function viewChecksum(view: BookView): number {
  return wireChecksum(view.asks, view.bids)
}

/** Levels to send so that a client holding `before` (truncated to depth) ends up with `after`. */
export function viewDiff(before: BookView, after: BookView, zero: string): BookView {
  const side = (old: WireLevel[], next: WireLevel[]): WireLevel[] => {
    const nextPrices = new Map(next.map(level => [level.price, level.qty]))
    const oldPrices = new Map(old.map(level => [level.price, level.qty]))
    const removed = old
      .filter(level => !nextPrices.has(level.price))
      .map(level => ({ price: level.price, qty: zero }))
    const changed = next.filter(level => oldPrices.get(level.price) !== level.qty)
    return [...removed, ...changed]
  }
  return { bids: side(before.bids, after.bids), asks: side(before.asks, after.asks) }
}
