/**
 * Writes rows the way the stages store them (plain SQL on the 001_core.sql schema) and announces them
 * on the live-events channel after the commit, as a writer does. Raw data goes through the real
 * ingest path in the endpoint tests (pipeline.ts); this is for analytics outputs whose exact values
 * a test needs to choose (candle pages, indicator series, sentiment points) and for controlling
 * exactly when (or whether) a live event follows a write (cache and live tests).
 */
import type { LiveEvent, LiveEvents } from '../../src/live-events/live-events.ts'
import type { Queryable } from '../../src/store/database.ts'

export interface TradeSeed {
  symbol: string
  tradeId: number
  time: string
  price?: string
  qty?: string
  side?: 'buy' | 'sell'
}

export async function insertTrades(db: Queryable, trades: readonly TradeSeed[]): Promise<void> {
  for (const t of trades)
    await db.query(
      `insert into trades (symbol, trade_id, ts, price, qty, side, ord_type, received_at, source)
       values ($1, $2, $3, $4, $5, $6, 'market', $3::timestamptz + interval '5 ms', 'ws')`,
      [t.symbol, t.tradeId, t.time, t.price ?? '100.5', t.qty ?? '0.25', t.side ?? 'buy']
    )
}

export async function insertTicker(db: Queryable, symbol: string, time: string, last: string): Promise<void> {
  await db.query(
    `insert into tickers (symbol, ts, bid, bid_qty, ask, ask_qty, last, volume_24h, vwap_24h, low_24h, high_24h,
                          change_24h, change_pct_24h, received_at)
     values ($1, $2, $3::numeric - 0.1, 1.5, $3::numeric + 0.1, 2.5, $3, 1000, $3, $3::numeric - 10, $3::numeric + 10,
             -1.2, -0.51, $2::timestamptz + interval '3 ms')`,
    [symbol, time, last]
  )
}

export interface CandleSeed {
  symbol: string
  interval: string
  bucket: string
  close: string
  trades?: number
}

export async function upsertCandle(db: Queryable, c: CandleSeed): Promise<void> {
  await db.query(
    `insert into candles (symbol, interval, bucket, open, high, low, close, volume, quote_volume, vwap, trades,
                          buy_volume, sell_volume, first_trade_id, last_trade_id)
     values ($1, $2, $3, $4, $4::numeric + 1, $4::numeric - 1, $4, 2, $4::numeric * 2, $4, $5::integer, 1.25, 0.75, 1, $5::integer)
     on conflict (symbol, interval, bucket) do update set close = excluded.close, trades = excluded.trades,
       updated_at = now()`,
    [c.symbol, c.interval, c.bucket, c.close, c.trades ?? 3]
  )
}

export async function insertIndicator(
  db: Queryable,
  row: { symbol: string; interval: string; bucket: string; name: string; value: number }
): Promise<void> {
  await db.query(
    `insert into indicators (symbol, interval, bucket, name, value) values ($1, $2, $3, $4, $5)`,
    [row.symbol, row.interval, row.bucket, row.name, row.value]
  )
}

export async function insertSentimentPoint(
  db: Queryable,
  p: { code: string; interval: string; bucket: string; index: number; articles?: number }
): Promise<void> {
  await db.query(
    `insert into sentiment_series (code, interval, bucket, articles, score_sum, score_avg, index_value)
     values ($1, $2, $3, $4::integer, $5::float8 * $4::integer, $5::float8, $5::float8)`,
    [p.code, p.interval, p.bucket, p.articles ?? 2, p.index]
  )
}

/** Announces stored rows as a writer does after its commit. */
export async function announce(
  live: LiveEvents,
  events: readonly Omit<LiveEvent, 'storedAt'>[]
): Promise<void> {
  const storedAt = new Date().toISOString()
  await live.publish(events.map(event => ({ ...event, storedAt })))
}

/** A unique symbol per test, so parallel tests never see each other's live events. */
export function uniqueSymbol(): string {
  return `T${Math.random().toString(36).slice(2, 8).toUpperCase()}/USD`
}
