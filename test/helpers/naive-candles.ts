/**
 * The independent reference for candles: trades grouped by bucket and aggregated the obvious way,
 * on fixed-scale integers (naive-buckets.ts), sorted by trade id for open and close.
 * Deliberately shares no code with src/jobs/analytics/candles.
 */
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'
import { fixed, show, tradeBuckets } from './naive-buckets.ts'

export interface NaiveCandle {
  symbol: string
  interval: string
  bucket: string
  open: string
  high: string
  low: string
  close: string
  volume: string
  quoteVolume: string
  trades: number
  buyVolume: string
  sellVolume: string
  firstTradeId: number
  lastTradeId: number
}

export function naiveCandles(trades: readonly TradeV1[]): NaiveCandle[] {
  return tradeBuckets(trades).map(({ symbol, interval, bucket, trades: group }) => {
    const sorted = [...group].sort((a, b) => a.tradeId - b.tradeId)
    const prices = sorted.map(t => fixed(t.price, 5))
    const qty = (t: TradeV1): bigint => fixed(t.qty, 8)
    const sum = (list: TradeV1[]): bigint => list.reduce((s, t) => s + qty(t), 0n)
    return {
      symbol,
      interval,
      bucket,
      open: show(prices[0] ?? 0n, 5),
      high: show(
        prices.reduce((a, b) => (b > a ? b : a)),
        5
      ),
      low: show(
        prices.reduce((a, b) => (b < a ? b : a)),
        5
      ),
      close: show(prices[prices.length - 1] ?? 0n, 5),
      volume: show(sum(sorted), 8),
      quoteVolume: show(
        sorted.reduce((s, t) => s + fixed(t.price, 5) * qty(t), 0n),
        13
      ),
      trades: sorted.length,
      buyVolume: show(sum(sorted.filter(t => t.side === 'buy')), 8),
      sellVolume: show(sum(sorted.filter(t => t.side === 'sell')), 8),
      firstTradeId: sorted[0]?.tradeId ?? 0,
      lastTradeId: sorted[sorted.length - 1]?.tradeId ?? 0
    }
  })
}
