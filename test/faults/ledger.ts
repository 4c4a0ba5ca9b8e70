/**
 * What was stored against what was sent: every trade the exchange made must be in the trades table
 * exactly once, and the stored candles must equal an independent computation from the sent trades
 * (test/helpers/naive-candles.ts shares no code with the analytics job).
 */
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'
import type { Database } from '../../src/store/database.ts'
import { type NaiveCandle, naiveCandles } from '../helpers/naive-candles.ts'

export interface Tally {
  sent: number
  stored: number
  /** Sent trades not stored. */
  lost: number
  /** Rows beyond one per trade, and trades counted more than once in a candle. */
  doubled: number
  /** Stored trades the exchange never made. */
  unexpected: number
  candlesOk: boolean
  problems: string[]
}

/** Decimal text without insignificant zeros, so 100.50000 and 100.5 compare equal. */
function canonical(value: unknown): string {
  const text = String(value)
  return /^-?\d+\.\d+$/.test(text) ? text.replace(/0+$/, '').replace(/\.$/, '') : text
}

const compared: (keyof NaiveCandle)[] = [
  'open',
  'high',
  'low',
  'close',
  'volume',
  'quoteVolume',
  'buyVolume',
  'sellVolume',
  'trades',
  'firstTradeId',
  'lastTradeId'
]

export async function progress(db: Database): Promise<{ stored: number; inCandles: number }> {
  const [trades, candles] = await Promise.all([
    db.query<{ n: number }>('select count(distinct (symbol, trade_id))::int as n from trades'),
    db.query<{ n: number }>("select coalesce(sum(trades), 0)::int as n from candles where interval = '1m'")
  ])
  return { stored: trades.rows[0]?.n ?? 0, inCandles: candles.rows[0]?.n ?? 0 }
}

export async function tally(db: Database, sent: readonly TradeV1[]): Promise<Tally> {
  const problems: string[] = []
  const { rows } = await db.query<{ symbol: string; trade_id: number; n: number }>(
    'select symbol, trade_id, count(*)::int as n from trades group by symbol, trade_id'
  )
  const stored = new Map(rows.map(r => [`${r.symbol}#${r.trade_id}`, r.n]))
  const sentKeys = new Set(sent.map(t => `${t.symbol}#${t.tradeId}`))
  let lost = 0
  for (const key of sentKeys) if (!stored.has(key)) lost++
  let doubled = 0
  let unexpected = 0
  for (const [key, n] of stored) {
    doubled += n - 1
    if (!sentKeys.has(key)) unexpected++
  }
  if (lost > 0) problems.push(`${lost} sent trade(s) not stored`)
  if (doubled > 0) problems.push(`${doubled} trade row(s) stored more than once`)

  const expected = naiveCandles(sent)
  // Stored candles under the reference's names, so each field compares with its namesake.
  const candles = await db.query<NaiveCandle>(
    `select symbol, interval, bucket, open, high, low, close, volume, quote_volume as "quoteVolume",
            buy_volume as "buyVolume", sell_volume as "sellVolume", trades,
            first_trade_id as "firstTradeId", last_trade_id as "lastTradeId"
       from candles`
  )
  const byKey = new Map(candles.rows.map(c => [`${c.symbol}|${c.interval}|${Date.parse(c.bucket)}`, c]))
  for (const naive of expected) {
    const key = `${naive.symbol}|${naive.interval}|${Date.parse(naive.bucket)}`
    const row = byKey.get(key)
    byKey.delete(key)
    if (row === undefined) {
      problems.push(`candle ${key} missing`)
      continue
    }
    if (naive.interval === '1m' && row.trades > naive.trades) doubled += row.trades - naive.trades
    for (const field of compared)
      if (canonical(row[field]) !== canonical(naive[field]))
        problems.push(`candle ${key}: ${field} ${String(row[field])}, expected ${String(naive[field])}`)
  }
  for (const key of byKey.keys()) problems.push(`candle ${key} stored but no trade of it was sent`)
  return {
    sent: sentKeys.size,
    stored: stored.size,
    lost,
    doubled,
    unexpected,
    candlesOk: !problems.some(p => p.startsWith('candle')),
    problems
  }
}
