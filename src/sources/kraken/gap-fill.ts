/**
 * Fetches trades missed while the socket was down. REST `Trades` pages by time (a nanosecond
 * `since` cursor), not by id, so the walk starts just before the last trade we published and keeps
 * the ids strictly between the watermark and the first live trade after the gap.
 */
import type { TradeV1 } from '../../schemas/index.ts'
import { nowIsoMicros } from '../../lib/time.ts'
import { tradeFromRest } from './normalize.ts'
import type { KrakenRest } from './rest-client.ts'
import { rfc3339ToNanos } from './wire.ts'

export interface GapRequest {
  symbol: string
  /** Last published trade id and its exchange time. */
  after: number
  afterTs: string
  /** First trade id seen after the gap (exclusive). */
  before: number
}

export interface GapFillOptions {
  /** Give up after this many pages (1000 trades each). */
  maxPages: number
  onMalformed: (error: unknown) => void
}

// Start a millisecond early: REST `since` is a time, and trades sharing the watermark's timestamp
// must not be skipped (the id filter drops what we already have).
const SINCE_MARGIN_NS = 1_000_000n

export async function fetchMissingTrades(
  rest: KrakenRest,
  gap: GapRequest,
  options: GapFillOptions
): Promise<TradeV1[]> {
  const found = new Map<number, TradeV1>()
  let since = (rfc3339ToNanos(gap.afterTs) - SINCE_MARGIN_NS).toString()
  for (let page = 0; page < options.maxPages; page++) {
    const { rows, last } = await rest.trades(gap.symbol, since)
    const receivedAt = nowIsoMicros()
    let highest = gap.after
    for (const row of rows) {
      let trade: TradeV1
      try {
        trade = tradeFromRest(row, gap.symbol, receivedAt)
      } catch (error) {
        options.onMalformed(error)
        continue
      }
      highest = Math.max(highest, trade.tradeId)
      if (trade.tradeId > gap.after && trade.tradeId < gap.before) found.set(trade.tradeId, trade)
    }
    const complete = found.size >= gap.before - gap.after - 1
    if (complete || rows.length === 0 || highest >= gap.before - 1 || last === '' || last === since) break
    since = last
  }
  return [...found.values()].sort((a, b) => a.tradeId - b.tradeId)
}
