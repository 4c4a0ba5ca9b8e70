/**
 * The independent reference for candles: trades grouped by bucket and aggregated the obvious way,
 * on fixed-scale integers (prices at 5 decimals, quantities at 8), sorted by trade id for open and close.
 * Deliberately shares no code with src/jobs/analytics/candles.
 */
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'

const SECONDS = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '1d': 86400 } as const

function fixed(lexeme: string, scale: number): bigint {
  const [whole = '0', fraction = ''] = lexeme.split('.')
  return BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale))
}

function show(units: bigint, scale: number): string {
  const s = units.toString().padStart(scale + 1, '0')
  return `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`
}

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
  const out: NaiveCandle[] = []
  for (const [interval, seconds] of Object.entries(SECONDS)) {
    const groups = new Map<string, TradeV1[]>()
    for (const t of trades) {
      const epoch = Math.floor(Date.parse(t.exchangeTs) / 1000)
      const bucket = new Date(Math.floor(epoch / seconds) * seconds * 1000).toISOString()
      const key = `${t.symbol}|${bucket}`
      const group = groups.get(key)
      if (group === undefined) groups.set(key, [t])
      else group.push(t)
    }
    for (const [key, group] of groups) {
      const [symbol = '', bucket = ''] = key.split('|')
      const sorted = [...group].sort((a, b) => a.tradeId - b.tradeId)
      const prices = sorted.map(t => fixed(t.price, 5))
      const qty = (t: TradeV1): bigint => fixed(t.qty, 8)
      const sum = (list: TradeV1[]): bigint => list.reduce((s, t) => s + qty(t), 0n)
      out.push({
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
      })
    }
  }
  return out.sort((a, b) =>
    `${a.symbol}${a.interval}${a.bucket}`.localeCompare(`${b.symbol}${b.interval}${b.bucket}`)
  )
}
