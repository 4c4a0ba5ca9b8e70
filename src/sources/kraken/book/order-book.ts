/**
 * A local level-2 book for one symbol, kept exactly as Kraken sends it (price and qty lexemes), so
 * its checksum can be verified after every message. Semantics from Kraken's v2 book guide: a level's
 * qty replaces the old one (not a delta), qty 0 deletes it, the levels of one message are applied in
 * order, and each side is truncated to the subscribed depth afterwards (Kraken sends no deletes for
 * levels that fall out of scope).
 */
import { type LevelText, bookChecksum } from './checksum.ts'

interface Level extends LevelText {
  readonly value: number
}

type Side = Level[]

/** Index of `value` in a side sorted by `better`, or where it would be inserted. */
function search(side: Side, value: number, descending: boolean): { index: number; found: boolean } {
  let low = 0
  let high = side.length
  while (low < high) {
    const middle = (low + high) >>> 1
    const other = (side[middle] as Level).value
    if (other === value) return { index: middle, found: true }
    if (descending ? other > value : other < value) low = middle + 1
    else high = middle
  }
  return { index: low, found: false }
}

function apply(side: Side, level: LevelText, descending: boolean): void {
  const value = Number(level.price)
  const { index, found } = search(side, value, descending)
  if (Number(level.qty) === 0) {
    if (found) side.splice(index, 1)
    return
  }
  const next: Level = { price: level.price, qty: level.qty, value }
  if (found) side[index] = next
  else side.splice(index, 0, next)
}

export class OrderBook {
  readonly symbol: string
  readonly depth: number
  #bids: Side = []
  #asks: Side = []

  constructor(symbol: string, depth: number) {
    this.symbol = symbol
    this.depth = depth
  }

  /** Replaces the whole book: after a resubscribe the snapshot is the truth, stale levels included. */
  reset(bids: readonly LevelText[], asks: readonly LevelText[]): void {
    this.#bids = []
    this.#asks = []
    this.update(bids, asks)
  }

  update(bids: readonly LevelText[], asks: readonly LevelText[]): void {
    for (const level of bids) apply(this.#bids, level, true)
    for (const level of asks) apply(this.#asks, level, false)
    if (this.#bids.length > this.depth) this.#bids.length = this.depth
    if (this.#asks.length > this.depth) this.#asks.length = this.depth
  }

  checksum(): number {
    return bookChecksum(this.#asks, this.#bids)
  }

  /** The best `levels` of each side as [price, qty] lexemes, best first. */
  top(levels: number): { bids: [string, string][]; asks: [string, string][] } {
    const pairs = (side: Side): [string, string][] =>
      side.slice(0, levels).map(level => [level.price, level.qty])
    return { bids: pairs(this.#bids), asks: pairs(this.#asks) }
  }

  get size(): { bids: number; asks: number } {
    return { bids: this.#bids.length, asks: this.#asks.length }
  }
}
