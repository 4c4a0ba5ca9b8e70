/**
 * Trades are the volume of ingest, so their writes are spread over a few lanes: each trade goes to
 * the lane its natural key hashes to, each lane writes its share of every slice of the batch in its
 * own transaction, one after the other, and the lanes run side by side on separate connections.
 * Decoding the next slice overlaps with the database writing the previous ones, and the server works
 * on several inserts at once. Lanes never share a key, so their transactions never wait on each other
 * (no deadlock between concurrent ON CONFLICT inserts); within a lane, order is kept.
 *
 * The batch stays all-or-retried at the level that matters: the bus commits its offsets only after
 * every lane resolved, and a retried slice inserts nothing twice (ON CONFLICT DO NOTHING).
 */
import type { Database } from '../../store/database.ts'
import { writeTrades } from '../../store/writers/trades.ts'
import type { TradeV1 } from '../../schemas/trade.v1.ts'

function laneOf(trade: TradeV1, lanes: number): number {
  let hash = trade.tradeId % 2_147_483_647
  for (let i = 0; i < trade.symbol.length; i++)
    hash = (hash * 31 + trade.symbol.charCodeAt(i)) % 2_147_483_647
  return hash % lanes
}

export class TradeLanes {
  readonly #db: Database
  #tails: Promise<number>[]
  #inserted = 0
  #failure: unknown

  constructor(db: Database, lanes: number) {
    this.#db = db
    this.#tails = Array.from({ length: Math.max(1, lanes) }, () => Promise.resolve(0))
  }

  /** Queues a slice of trades; returns at once. */
  add(trades: readonly TradeV1[]): void {
    if (trades.length === 0) return
    const shares: TradeV1[][] = this.#tails.map(() => [])
    for (const trade of trades) shares[laneOf(trade, shares.length)]?.push(trade)
    this.#tails = this.#tails.map((tail, lane) => {
      const share = shares[lane] ?? []
      if (share.length === 0) return tail
      return tail.then(async () => {
        // After a failure in this lane, stop writing: the whole batch will be retried.
        if (this.#failure !== undefined) return 0
        try {
          const inserted = await this.#db.transaction(tx => writeTrades(tx, share))
          this.#inserted += inserted
          return inserted
        } catch (error) {
          this.#failure ??= error
          return 0
        }
      })
    })
  }

  /** Resolves with the number of new trades once every lane is done; throws the first failure. */
  async finish(): Promise<number> {
    await Promise.all(this.#tails)
    if (this.#failure !== undefined) throw this.#failure
    return this.#inserted
  }
}
