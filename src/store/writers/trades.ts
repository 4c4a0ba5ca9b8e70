/** Trades, as the ingest job stores them: insert-only on the natural key, so a replay adds nothing. */
import type { TradeV1 } from '../../schemas/trade.v1.ts'
import type { Queryable } from '../database.ts'
import { columns } from './sql-arrays.ts'

const INSERT = `insert into trades (symbol, trade_id, ts, price, qty, side, ord_type, received_at, source)
select * from unnest($1::text[], $2::int8[], $3::timestamptz[], $4::numeric[], $5::numeric[],
                     $6::text[], $7::text[], $8::timestamptz[], $9::text[])
on conflict do nothing`

/** Resolves with the number of trades that were new. */
export async function writeTrades(q: Queryable, trades: readonly TradeV1[]): Promise<number> {
  if (trades.length === 0) return 0
  const params = columns(trades, 9, t => [
    t.symbol,
    t.tradeId,
    t.exchangeTs,
    t.price,
    t.qty,
    t.side,
    t.ordType,
    t.receivedAt,
    t.source
  ])
  return (await q.query(INSERT, params)).rowCount
}
