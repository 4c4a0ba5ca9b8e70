/**
 * A market and news scenario for analytics tests: trades of four symbols delivered out of order
 * (within the lateness) with a few far too late and a few repeated, a price jump and a volume
 * spike; tickers with one minute of a wide spread; articles whose tone turns from bad to good.
 */
import { formatDecimal, multiply, parseDecimal } from '../../src/lib/decimal.ts'
import { isoToMicros, microsToIso } from '../../src/lib/event-time.ts'
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'
import { article, ticker } from './messages.ts'
import { jitter, syntheticTrades } from './synthetic-trades.ts'

export const SCENARIO_START = Date.UTC(2026, 2, 2, 9, 0) * 1000
const LATENESS = 60_000_000

export interface Scenario {
  trades: { topic: 'trade'; key: string; value: string }[]
  tickers: { topic: 'ticker'; key: string; value: string }[]
  articles: { topic: 'article'; key: string; value: string }[]
  /** The trades a candle builder must count: per symbol in delivery order, minus late ones and repeats. */
  accepted: TradeV1[]
}

function bump(trade: TradeV1, factor: string): TradeV1 {
  return { ...trade, price: formatDecimal(multiply(parseDecimal(trade.price), parseDecimal(factor))) }
}

export function analyticsScenario(): Scenario {
  const symbols = ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD']
  const delivered: TradeV1[] = []
  symbols.forEach((symbol, s) => {
    let trades = syntheticTrades({
      symbol,
      count: 2000,
      startMicros: SCENARIO_START,
      seed: 100 + s,
      maxGapMicros: 3_000_000
    })
    if (symbol === 'SOL/USD') trades = trades.map((t, i) => (i >= 1500 ? bump(t, '1.06') : t))
    if (symbol === 'ETH/USD') trades = trades.map((t, i) => (i === 1600 ? { ...t, qty: '75.00000000' } : t))
    const order = jitter(trades, 15, 200 + s)
    // Far too late: trade 300 arrives after trade 1000; and three trades are delivered twice.
    const late = order.findIndex(t => t.tradeId === trades[300]?.tradeId)
    const [moved] = order.splice(late, 1)
    if (moved !== undefined) order.splice(1000, 0, moved)
    order.splice(1200, 0, order[50] as TradeV1, order[1100] as TradeV1, order[1190] as TradeV1)
    delivered.push(...order)
  })
  const accepted: TradeV1[] = []
  const watermark = new Map<string, number>()
  const seen = new Set<string>()
  for (const t of delivered) {
    const ts = isoToMicros(t.exchangeTs) ?? 0
    const w = watermark.get(t.symbol) ?? -Infinity
    if (ts < w - LATENESS || seen.has(`${t.symbol} ${t.tradeId}`)) continue
    seen.add(`${t.symbol} ${t.tradeId}`)
    watermark.set(t.symbol, Math.max(w, ts))
    accepted.push(t)
  }
  const tickers = ['BTC/USD', 'ETH/USD'].flatMap(symbol =>
    Array.from({ length: 720 }, (_, i) => {
      const ts = SCENARIO_START + i * 5_000_000
      const wide = symbol === 'BTC/USD' && i >= 480 && i < 492
      const spread = wide ? 100 : 20 + (i % 3)
      const bid = 100_000 + (i % 17)
      return ticker({
        symbol,
        bid: `${bid}.0`,
        ask: `${bid + spread}.0`,
        exchangeTs: microsToIso(ts),
        receivedAt: microsToIso(ts + 3_000)
      })
    })
  )
  const tones = [
    'Bitcoin crashes as exchange hacked',
    'Bitcoin plunges on lawsuit fears',
    'Regulators sue crypto lender, bitcoin slumps',
    'Bitcoin rallies to record high',
    'Bitcoin surges on ETF inflows',
    'Analysts bullish as bitcoin soars',
    'Ether steady; Solana upgrade approved',
    'Bitcoin is not bullish, says analyst'
  ]
  const articles = tones.map((title, i) =>
    article(title, {
      publishedAt: microsToIso(SCENARIO_START + i * 3_600_000_000),
      coins: [
        { code: 'BTC', mentions: 2, inTitle: true },
        ...(i % 2 === 0 ? [{ code: 'ETH', mentions: 1, inTitle: false }] : [])
      ]
    })
  )
  return {
    trades: delivered.map(t => ({ topic: 'trade', key: t.symbol, value: JSON.stringify(t) })),
    tickers: tickers.map(t => ({ topic: 'ticker', key: t.symbol, value: JSON.stringify(t) })),
    articles: articles.map(a => ({ topic: 'article', key: a.id, value: JSON.stringify(a) })),
    accepted
  }
}
