/** Deterministic synthetic trades (a seeded random walk) for candle and pipeline tests. */
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'
import { microsToIso } from '../../src/lib/event-time.ts'

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface SyntheticOptions {
  symbol: string
  count: number
  /** Event time of the first trade, µs. */
  startMicros: number
  seed: number
  firstId?: number
  /** Largest gap between consecutive trades, µs (some gaps are 0: equal times). */
  maxGapMicros?: number
}

/** Trades in exchange order: ids consecutive, times non-decreasing, prices a walk around 100000.0. */
export function syntheticTrades(options: SyntheticOptions): TradeV1[] {
  const random = seededRandom(options.seed)
  const trades: TradeV1[] = []
  let ts = options.startMicros
  let price = 1_000_000 // tenths
  for (let i = 0; i < options.count; i++) {
    if (random() > 0.15) ts += Math.floor(random() * (options.maxGapMicros ?? 10_000_000))
    price = Math.max(10, price + Math.round((random() - 0.5) * 40))
    const qty = Math.max(1, Math.floor(random() ** 3 * 200_000_000))
    trades.push({
      v: 1,
      type: 'trade',
      exchange: 'kraken',
      symbol: options.symbol,
      tradeId: (options.firstId ?? 1) + i,
      price: `${Math.floor(price / 10)}.${price % 10}0000`,
      qty: `${Math.floor(qty / 1e8)}.${String(qty % 1e8).padStart(8, '0')}`,
      side: random() < 0.5 ? 'buy' : 'sell',
      ordType: random() < 0.7 ? 'limit' : 'market',
      exchangeTs: microsToIso(ts),
      receivedAt: microsToIso(ts + 5_000),
      source: 'ws'
    })
  }
  return trades
}

/** Local disorder: each trade moves by up to `distance` places (a bounded shuffle). */
export function jitter<T>(items: readonly T[], distance: number, seed: number): T[] {
  const random = seededRandom(seed)
  const keyed = items.map((item, i) => ({ item, key: i + random() * distance }))
  return keyed.sort((a, b) => a.key - b.key).map(k => k.item)
}
