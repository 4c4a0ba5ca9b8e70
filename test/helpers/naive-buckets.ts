/**
 * What the independent references (naive-candles.ts, naive-signals.ts) share with each other, and
 * with nothing in src/: trades grouped by symbol and bucket at every interval, and decimals as
 * fixed-scale integers (prices at 5 decimals, quantities at 8).
 */
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'

const SECONDS = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '1d': 86400 } as const

export function fixed(lexeme: string, scale: number): bigint {
  const [whole = '0', fraction = ''] = lexeme.split('.')
  return BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale))
}

export function show(units: bigint, scale: number): string {
  const negative = units < 0n
  const s = (negative ? -units : units).toString().padStart(scale + 1, '0')
  return `${negative ? '-' : ''}${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`
}

export interface TradeBucket {
  symbol: string
  interval: string
  /** Bucket start, ISO 8601 UTC. */
  bucket: string
  /** In the order given. */
  trades: TradeV1[]
}

/** The trades of every (symbol, bucket) at every interval, ordered by symbol, interval and bucket. */
export function tradeBuckets(trades: readonly TradeV1[]): TradeBucket[] {
  const out: TradeBucket[] = []
  for (const [interval, seconds] of Object.entries(SECONDS)) {
    const groups = new Map<string, TradeBucket>()
    for (const t of trades) {
      const epoch = Math.floor(Date.parse(t.exchangeTs) / 1000)
      const bucket = new Date(Math.floor(epoch / seconds) * seconds * 1000).toISOString()
      const key = `${t.symbol}|${bucket}`
      const group = groups.get(key)
      if (group === undefined) groups.set(key, { symbol: t.symbol, interval, bucket, trades: [t] })
      else group.trades.push(t)
    }
    out.push(...groups.values())
  }
  return out.sort((a, b) =>
    `${a.symbol}${a.interval}${a.bucket}`.localeCompare(`${b.symbol}${b.interval}${b.bucket}`)
  )
}
