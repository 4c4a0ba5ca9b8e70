/**
 * Independent references for the market signals, sharing no code with src/jobs/analytics: buy/sell
 * pressure per bucket on fixed-scale integers (prices at 5 decimals, quantities at 8) with the
 * imbalance as an exact fraction rounded half-even, and whale trades by sorting the previous
 * notionals of each pair at every trade.
 */
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'
import { fixed, show, tradeBuckets } from './naive-buckets.ts'

/** num / den rounded half-even to `scale` decimals (den > 0). */
function ratio(num: bigint, den: bigint, scale: number): string {
  const scaled = num * 10n ** BigInt(scale)
  let q = scaled / den
  const r = scaled - q * den
  const twice = 2n * (r < 0n ? -r : r)
  if (twice > den || (twice === den && q % 2n !== 0n)) q += scaled < 0n ? -1n : 1n
  return show(q, scale)
}

export interface NaivePressure {
  symbol: string
  interval: string
  bucket: string
  buyVolume: string
  sellVolume: string
  imbalance: string
  buyTrades: number
  sellTrades: number
  buyQuoteVolume: string
  sellQuoteVolume: string
}

export function naivePressure(trades: readonly TradeV1[]): NaivePressure[] {
  return tradeBuckets(trades).map(({ symbol, interval, bucket, trades: group }) => {
    const side = (s: 'buy' | 'sell') => group.filter(t => t.side === s)
    const volume = (list: TradeV1[]) => list.reduce((sum, t) => sum + fixed(t.qty, 8), 0n)
    const quote = (list: TradeV1[]) => list.reduce((sum, t) => sum + fixed(t.price, 5) * fixed(t.qty, 8), 0n)
    const buy = volume(side('buy'))
    const sell = volume(side('sell'))
    return {
      symbol,
      interval,
      bucket,
      buyVolume: show(buy, 8),
      sellVolume: show(sell, 8),
      imbalance: ratio(buy - sell, buy + sell, 12),
      buyTrades: side('buy').length,
      sellTrades: side('sell').length,
      buyQuoteVolume: show(quote(side('buy')), 13),
      sellQuoteVolume: show(quote(side('sell')), 13)
    }
  })
}

/**
 * The trades that must raise a whale alert: per pair, in the order given, a trade whose notional is
 * above max(floor, nearest-rank quantile of the previous `window` notionals), the quantile counting
 * only once the window holds 1 / (1 − quantile) trades.
 */
export function naiveWhales(
  trades: readonly TradeV1[],
  rule: { floor: number; quantile: number; window: number }
): TradeV1[] {
  const history = new Map<string, number[]>()
  const out: TradeV1[] = []
  for (const t of trades) {
    const previous = history.get(t.symbol) ?? []
    const notional = Number(show(fixed(t.price, 5) * fixed(t.qty, 8), 13))
    const recent = previous.slice(-rule.window).sort((a, b) => a - b)
    const enough = recent.length >= Math.ceil(1 / (1 - rule.quantile) - 1e-9)
    const quantile = enough ? (recent[Math.ceil(rule.quantile * recent.length - 1e-9) - 1] ?? 0) : 0
    if (notional > Math.max(rule.floor, quantile)) out.push(t)
    previous.push(notional)
    history.set(t.symbol, previous)
  }
  return out
}
