/**
 * Trades are the volume of ingest, so their writes are spread over a few lanes: each trade goes to
 * the lane its natural key hashes to; each lane holds one transaction for the batch on its own
 * connection and inserts its share of every slice as the slice is decoded; the lanes commit when the
 * batch is complete. So decoding overlaps with the database inserting, the server works on several
 * inserts at once, and a batch costs one commit per lane, not one per slice. Lanes never share a
 * key, so their transactions never wait on each other (no deadlock between concurrent ON CONFLICT
 * inserts); within a lane, order is kept.
 *
 * The bus commits the batch's offsets only after every lane committed; if one fails, the batch is
 * retried whole, and what a lane had committed is inserted again as nothing (ON CONFLICT DO NOTHING).
 */
import type { Database } from '../../store/database.ts'
import { insertTradesInTransaction } from '../../store/writers/trades.ts'
import type { TradeV1 } from '../../schemas/trade.v1.ts'

function laneOf(trade: TradeV1, lanes: number): number {
  let hash = trade.tradeId % 2_147_483_647
  for (let i = 0; i < trade.symbol.length; i++)
    hash = (hash * 31 + trade.symbol.charCodeAt(i)) % 2_147_483_647
  return hash % lanes
}

const END = Symbol('end')

/** One lane: a queue of slices drained into one transaction. */
class Lane {
  readonly #queue: (TradeV1[] | typeof END)[] = []
  #wake: (() => void) | undefined
  readonly done: Promise<number>

  constructor(db: Database) {
    this.done = db.transaction(async tx => {
      let inserted = 0
      for (;;) {
        const next = await this.#take()
        if (next === END) return inserted
        inserted += await insertTradesInTransaction(tx, next)
      }
    })
    // Observed by finish(); this keeps an early failure from being reported as unhandled meanwhile.
    this.done.catch(() => undefined)
  }

  push(item: TradeV1[] | typeof END): void {
    this.#queue.push(item)
    this.#wake?.()
    this.#wake = undefined
  }

  #take(): Promise<TradeV1[] | typeof END> {
    const item = this.#queue.shift()
    if (item !== undefined) return Promise.resolve(item)
    return new Promise(resolve => {
      this.#wake = () => resolve(this.#queue.shift() ?? END)
    })
  }
}

export class TradeLanes {
  readonly #db: Database
  readonly #count: number
  #lanes: Lane[] | undefined

  constructor(db: Database, lanes: number) {
    this.#db = db
    this.#count = Math.max(1, lanes)
  }

  /** Queues a slice of trades; returns at once (the first slice opens the lanes' transactions). */
  add(trades: readonly TradeV1[]): void {
    if (trades.length === 0) return
    const lanes = (this.#lanes ??= Array.from({ length: this.#count }, () => new Lane(this.#db)))
    const shares: TradeV1[][] = lanes.map(() => [])
    for (const trade of trades) shares[laneOf(trade, lanes.length)]?.push(trade)
    shares.forEach((share, i) => share.length > 0 && lanes[i]?.push(share))
  }

  /** Commits every lane; resolves with the number of new trades, or throws the first failure. */
  async finish(): Promise<number> {
    const lanes = this.#lanes ?? []
    for (const lane of lanes) lane.push(END)
    const results = await Promise.allSettled(lanes.map(lane => lane.done))
    const failed = results.find(r => r.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    return results.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0)
  }
}
