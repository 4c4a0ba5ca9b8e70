/** Trades of one symbol, newest first, paged by (time, trade id). */
import type { Queryable } from '../database.ts'
import { newestFirst } from './newest-first.ts'
import { type Before, type Page, Params, type TimeRange, toPage } from './params.ts'

export interface TradeRow {
  tradeId: number
  ts: string
  price: string
  qty: string
  side: 'buy' | 'sell'
  ordType: 'market' | 'limit'
  receivedAt: string
  source: 'ws' | 'rest'
}

export async function listTrades(
  db: Queryable,
  query: TimeRange & { symbol: string; limit: number; before?: Before | undefined }
): Promise<Page<TradeRow>> {
  const params = new Params()
  const symbol = params.add(query.symbol)
  const window = newestFirst(params, { time: 'ts', id: 'trade_id', idCast: 'bigint' }, query)
  const { rows } = await db.query<TradeRow>(
    `select trade_id as "tradeId", ts, price, qty, side, ord_type as "ordType",
            received_at as "receivedAt", source
       from trades
      where symbol = ${symbol}${window.where}
      ${window.tail}`,
    params.values
  )
  return toPage(rows, query.limit)
}
