/**
 * Deduplication and gap detection for trades. Kraken's `trade_id` is a per-pair sequence shared by
 * the WebSocket and REST, so one watermark per symbol (the highest id published) decides everything:
 * an id at or below it is a duplicate (a resubscribe snapshot, a REST page overlapping live data),
 * the next id continues the sequence, and a jump means trades were missed and must be fetched.
 * Pure state, no I/O.
 */
export type TradeVerdict =
  | { kind: 'first' }
  | { kind: 'next' }
  | { kind: 'duplicate' }
  /** Ids `after+1 … before-1` are missing. */
  | { kind: 'gap'; after: number; before: number; afterTs: string }

interface Mark {
  id: number
  exchangeTs: string
}

export class TradeSequencer {
  readonly #marks = new Map<string, Mark>()

  verdict(symbol: string, tradeId: number): TradeVerdict {
    const mark = this.#marks.get(symbol)
    if (mark === undefined) return { kind: 'first' }
    if (tradeId <= mark.id) return { kind: 'duplicate' }
    if (tradeId === mark.id + 1) return { kind: 'next' }
    return { kind: 'gap', after: mark.id, before: tradeId, afterTs: mark.exchangeTs }
  }

  /** Moves the watermark; call once the trade is handed to the publisher. */
  accept(symbol: string, tradeId: number, exchangeTs: string): void {
    const mark = this.#marks.get(symbol)
    if (mark === undefined || tradeId > mark.id) this.#marks.set(symbol, { id: tradeId, exchangeTs })
  }

  last(symbol: string): number | undefined {
    return this.#marks.get(symbol)?.id
  }
}
