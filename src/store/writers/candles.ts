/**
 * Candles computed by the analytics job. Each write carries the candle's complete new state (not an
 * increment), so writing it twice is the same as writing it once.
 */
import type { Queryable } from '../database.ts'
import { columns } from './sql-arrays.ts'

export interface CandleRow {
  symbol: string
  interval: string
  /** Bucket start, ISO 8601 UTC. */
  bucket: string
  open: string
  high: string
  low: string
  close: string
  volume: string
  quoteVolume: string
  vwap: string
  trades: number
  buyVolume: string
  sellVolume: string
  /** Null on candles stored before per-side counts were kept (migration 003). */
  buyTrades: number | null
  buyQuoteVolume: string | null
  /** (buy − sell) / (buy + sell) base volume, exact to 12 decimals (written, never read back). */
  imbalance?: string
  firstTradeId: number
  lastTradeId: number
}

const UPSERT = `insert into candles (symbol, interval, bucket, open, high, low, close, volume, quote_volume,
  vwap, trades, buy_volume, sell_volume, first_trade_id, last_trade_id, buy_trades, buy_quote_volume, imbalance)
select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::numeric[], $5::numeric[],
  $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::int4[],
  $12::numeric[], $13::numeric[], $14::int8[], $15::int8[], $16::int4[], $17::numeric[], $18::numeric[])
on conflict (symbol, interval, bucket) do update set open = excluded.open, high = excluded.high,
  low = excluded.low, close = excluded.close, volume = excluded.volume,
  quote_volume = excluded.quote_volume, vwap = excluded.vwap, trades = excluded.trades,
  buy_volume = excluded.buy_volume, sell_volume = excluded.sell_volume,
  first_trade_id = excluded.first_trade_id, last_trade_id = excluded.last_trade_id,
  buy_trades = excluded.buy_trades, buy_quote_volume = excluded.buy_quote_volume,
  imbalance = excluded.imbalance, updated_at = now()`

export async function writeCandles(q: Queryable, rows: readonly CandleRow[]): Promise<void> {
  if (rows.length === 0) return
  const params = columns(rows, 18, c => [
    c.symbol,
    c.interval,
    c.bucket,
    c.open,
    c.high,
    c.low,
    c.close,
    c.volume,
    c.quoteVolume,
    c.vwap,
    c.trades,
    c.buyVolume,
    c.sellVolume,
    c.firstTradeId,
    c.lastTradeId,
    c.buyTrades,
    c.buyQuoteVolume,
    c.imbalance ?? null
  ])
  await q.query(UPSERT, params)
}

/** The most recent `limit` candles of each (symbol, interval), oldest first: the analytics job's warm state. */
export async function recentCandles(
  q: Queryable,
  symbols: readonly string[],
  intervals: readonly string[],
  limit: number
): Promise<CandleRow[]> {
  if (symbols.length === 0) return []
  const { rows } = await q.query<CandleRow>(
    `select c.symbol, c.interval, c.bucket, c.open, c.high, c.low, c.close, c.volume,
            c.quote_volume as "quoteVolume", c.vwap, c.trades, c.buy_volume as "buyVolume",
            c.sell_volume as "sellVolume", c.first_trade_id as "firstTradeId", c.last_trade_id as "lastTradeId",
            c.buy_trades as "buyTrades", c.buy_quote_volume as "buyQuoteVolume"
       from unnest($1::text[]) s(symbol) cross join unnest($2::text[]) i(interval)
       cross join lateral (select * from candles
                            where symbol = s.symbol and interval = i.interval
                            order by bucket desc limit $3) c
      order by c.symbol, c.interval, c.bucket`,
    [symbols, intervals, limit]
  )
  return rows
}
