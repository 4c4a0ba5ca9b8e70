/**
 * Kraken's own candles and book tops (the optional channels). A running candle is overwritten until
 * a final version arrives; after that only another final version may change it. One-minute candles
 * reopen the settled news moves that read them (impact.ts, reopenImpactOver).
 */
import type { BookV1 } from '../../schemas/book.v1.ts'
import type { OhlcV1 } from '../../schemas/ohlc.v1.ts'
import type { Queryable } from '../database.ts'
import { reopenImpactOver } from './impact.ts'
import { columns, lastByKey } from './sql-arrays.ts'

const CANDLES = `insert into exchange_candles (symbol, interval_min, bucket, open, high, low, close, vwap,
  volume, trades, final, received_at)
select * from unnest($1::text[], $2::int4[], $3::timestamptz[], $4::numeric[], $5::numeric[],
  $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[], $10::int4[], $11::bool[], $12::timestamptz[])
on conflict (symbol, interval_min, bucket) do update set open = excluded.open, high = excluded.high,
  low = excluded.low, close = excluded.close, vwap = excluded.vwap, volume = excluded.volume,
  trades = excluded.trades, final = excluded.final, received_at = excluded.received_at
where not exchange_candles.final or excluded.final`

const BOOKS = `insert into book_tops (symbol, ts, depth, bids, asks, checksum, received_at)
select x.symbol, x.ts, x.depth, x.bids, x.asks, x.checksum, x.received_at
from jsonb_to_recordset($1::jsonb) as x(symbol text, ts timestamptz, depth integer, bids jsonb,
  asks jsonb, checksum bigint, received_at timestamptz)
on conflict do nothing`

export async function writeExchangeCandles(q: Queryable, candles: readonly OhlcV1[]): Promise<number> {
  if (candles.length === 0) return 0
  // Within one batch the later record of a key is the newer state of that candle.
  const latest = lastByKey(candles, c => `${c.symbol} ${c.interval} ${c.intervalBegin}`)
  const params = columns(latest, 12, c => [
    c.symbol,
    c.interval,
    c.intervalBegin,
    c.open,
    c.high,
    c.low,
    c.close,
    c.vwap,
    c.volume,
    c.trades,
    c.final,
    c.receivedAt
  ])
  const written = (await q.query(CANDLES, params)).rowCount
  // The news moves read the exchange's one-minute candles where the pipeline has none.
  await reopenImpactOver(
    q,
    latest.filter(c => c.interval === 1).map(c => ({ symbol: c.symbol, bucket: c.intervalBegin }))
  )
  return written
}

export async function writeBookTops(q: Queryable, books: readonly BookV1[]): Promise<number> {
  if (books.length === 0) return 0
  const rows = books.map(b => ({
    symbol: b.symbol,
    ts: b.exchangeTs ?? b.receivedAt,
    depth: b.depth,
    bids: b.bids,
    asks: b.asks,
    checksum: b.checksum,
    received_at: b.receivedAt
  }))
  return (await q.query(BOOKS, [JSON.stringify(rows)])).rowCount
}
