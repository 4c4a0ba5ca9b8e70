/**
 * Writes rows the way the ingest and analytics stages store them (plain SQL on the 001_core.sql
 * schema), then announces them on the live-events channel after the commit, as a writer does. Used
 * by the API tests until they can drive the real ingest path.
 */
import type { LiveEvent, LiveEvents } from '../../src/live/live-events.ts'
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

export interface ArticleSeed {
  id: string
  source: string
  title: string
  summary?: string
  publishedAt: string
  coins?: { code: string; mentions: number; inTitle: boolean }[]
  sentiment?: { score: number; label: 'positive' | 'neutral' | 'negative' }
}

export async function insertArticle(db: Queryable, a: ArticleSeed): Promise<void> {
  await db.query(
    `insert into articles (id, source, feed_url, url, title, summary, authors, categories, published_at,
                           published_at_estimated, fetched_at)
     values ($1, $2, 'https://feeds.example.com/rss', 'https://news.example.com/' || $1, $3, $4, '{Ann Author}',
             '{Markets}', $5, false, $5::timestamptz + interval '1 minute')`,
    [a.id, a.source, a.title, a.summary ?? '', a.publishedAt]
  )
  for (const coin of a.coins ?? [])
    await db.query(
      `insert into article_coins (article_id, code, mentions, in_title, published_at) values ($1, $2, $3, $4, $5)`,
      [a.id, coin.code, coin.mentions, coin.inTitle, a.publishedAt]
    )
  if (a.sentiment !== undefined)
    await db.query(
      `insert into article_sentiment (article_id, score, label, positive_terms, negative_terms, model)
       values ($1, $2, $3, '{surge}', '{}', 'lexicon-v1')`,
      [a.id, a.sentiment.score, a.sentiment.label]
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

export interface AlertSeed {
  id: string
  kind: string
  symbol: string
  severity?: 'info' | 'warning' | 'critical'
  eventTs: string
}

export async function insertAlert(db: Queryable, a: AlertSeed): Promise<void> {
  await db.query(
    `insert into alerts (id, rule, kind, symbol, severity, title, message, value, threshold, event_ts, raised_at,
                         details)
     values ($1, $2 || '_rule', $2, $3, $4, 'title ' || $1, 'message ' || $1, 3.2, 3, $5,
             $5::timestamptz + interval '400 ms', '{"from":"1","to":"2"}')`,
    [a.id, a.kind, a.symbol, a.severity ?? 'warning', a.eventTs]
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
