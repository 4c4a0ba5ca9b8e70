/**
 * How each simulated pair behaves: a plausible price level, Kraken's precision for the pair, how
 * often it trades and how big a typical trade is. Unknown pairs get a profile derived from their
 * name, so any symbol list works in replay mode.
 */
export interface PairProfile {
  price: number
  pricePrecision: number
  qtyPrecision: number
  /** Trade events per second at speed 1 (each event is one taker order, possibly several fills). */
  tradesPerSecond: number
  /** Median trade size, base currency. */
  typicalQty: number
  /** Daily volatility (standard deviation of log returns over a day). */
  dailyVolatility: number
}

const known: Record<string, PairProfile> = {
  'BTC/USD': {
    price: 97_250,
    pricePrecision: 1,
    qtyPrecision: 8,
    tradesPerSecond: 3,
    typicalQty: 0.01,
    dailyVolatility: 0.03
  },
  'ETH/USD': {
    price: 3_150,
    pricePrecision: 2,
    qtyPrecision: 8,
    tradesPerSecond: 2.5,
    typicalQty: 0.4,
    dailyVolatility: 0.04
  },
  'SOL/USD': {
    price: 182,
    pricePrecision: 2,
    qtyPrecision: 8,
    tradesPerSecond: 2,
    typicalQty: 4,
    dailyVolatility: 0.05
  },
  'XRP/USD': {
    price: 2.21,
    pricePrecision: 5,
    qtyPrecision: 8,
    tradesPerSecond: 1.5,
    typicalQty: 700,
    dailyVolatility: 0.05
  },
  'ADA/USD': {
    price: 0.71,
    pricePrecision: 6,
    qtyPrecision: 8,
    tradesPerSecond: 1,
    typicalQty: 1_400,
    dailyVolatility: 0.05
  },
  'DOGE/USD': {
    price: 0.19,
    pricePrecision: 7,
    qtyPrecision: 8,
    tradesPerSecond: 1.2,
    typicalQty: 4_800,
    dailyVolatility: 0.06
  },
  'BTC/USDT': {
    price: 105_400,
    pricePrecision: 1,
    qtyPrecision: 8,
    tradesPerSecond: 0.5,
    typicalQty: 0.005,
    dailyVolatility: 0.03
  },
  'ETH/BTC': {
    price: 0.0325,
    pricePrecision: 5,
    qtyPrecision: 8,
    tradesPerSecond: 0.3,
    typicalQty: 0.5,
    dailyVolatility: 0.03
  }
}

export function profileOf(symbol: string): PairProfile {
  const profile = known[symbol]
  if (profile !== undefined) return profile
  let hash = 0
  for (const char of symbol) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return {
    price: 1 + (hash % 1000),
    pricePrecision: 4,
    qtyPrecision: 8,
    tradesPerSecond: 0.5,
    typicalQty: 10,
    dailyVolatility: 0.05
  }
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same market. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Standard normal deviate (Box–Muller). */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}
