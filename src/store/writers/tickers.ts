/** Level-1 tickers, insert-only on (symbol, time). */
import type { TickerV1 } from '../../schemas/ticker.v1.ts'
import type { Queryable } from '../database.ts'
import { columns } from './sql-arrays.ts'

const INSERT = `insert into tickers (symbol, ts, bid, bid_qty, ask, ask_qty, last, volume_24h, vwap_24h,
                     low_24h, high_24h, change_24h, change_pct_24h, received_at)
select * from unnest($1::text[], $2::timestamptz[], $3::numeric[], $4::numeric[], $5::numeric[],
                     $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[],
                     $11::numeric[], $12::numeric[], $13::numeric[], $14::timestamptz[])
on conflict do nothing`

/** A ticker's time: the venue's, or when it was received if the venue sent none. */
export function tickerTime(ticker: TickerV1): string {
  return ticker.exchangeTs ?? ticker.receivedAt
}

export async function writeTickers(q: Queryable, tickers: readonly TickerV1[]): Promise<number> {
  if (tickers.length === 0) return 0
  const params = columns(tickers, 14, t => [
    t.symbol,
    tickerTime(t),
    t.bid,
    t.bidQty,
    t.ask,
    t.askQty,
    t.last,
    t.volume,
    t.vwap,
    t.low,
    t.high,
    t.change,
    t.changePct,
    t.receivedAt
  ])
  return (await q.query(INSERT, params)).rowCount
}
