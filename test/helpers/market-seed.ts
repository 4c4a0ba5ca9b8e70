/**
 * Plausible market history for the dashboard's tests, screenshots and benchmark: trades as a seeded
 * random walk with bursts (so candles have bodies, wicks and volume), articles with clearly positive
 * or negative headlines (so the sentiment job has something to say), and alerts of each severity.
 * Everything goes through the real write path (Kafka → ingest/analytics → PostgreSQL).
 */
import type { AlertV1, ArticleV1, TradeV1 } from '../../src/schemas/index.ts'
import type { Pipeline } from './pipeline.ts'
import { seededRandom } from './synthetic-trades.ts'

type TradeSeed = Partial<TradeV1> & { symbol: string; tradeId: number }

export interface MarketSpec {
  symbol: string
  price: number
  decimals: number
  /** Typical move per trade, as a fraction of the price. */
  volatility: number
  tradesPerMinute: number
  seed: number
}

/** Trades from `fromMs` to `toMs`, ids from 1; the walk's last price is returned with them. */
export function marketTrades(
  spec: MarketSpec,
  fromMs: number,
  toMs: number
): { trades: TradeSeed[]; last: number } {
  const random = seededRandom(spec.seed)
  const trades: TradeSeed[] = []
  let price = spec.price
  let drift = 0
  const step = 60_000 / spec.tradesPerMinute
  for (let t = fromMs, id = 1; t < toMs; t += step * (0.3 + random() * 1.4), id++) {
    if (random() < 0.02) drift = (random() - 0.5) * spec.volatility * 0.6
    price = Math.max(price * 0.5, price * (1 + drift + (random() - 0.5) * spec.volatility))
    const qty = Math.max(0.0001, random() ** 4 * 3 * (100 / Math.sqrt(spec.price)))
    const time = new Date(Math.floor(t)).toISOString()
    trades.push({
      symbol: spec.symbol,
      tradeId: id,
      price: price.toFixed(spec.decimals),
      qty: qty.toFixed(6),
      side: random() < 0.5 + drift * 40 ? 'buy' : 'sell',
      exchangeTs: time,
      receivedAt: time
    })
  }
  return { trades, last: price }
}

const Headlines: [string, string][] = [
  [
    '{coin} rallies to a record as ETF inflows surge',
    'Funds took in more money, a strong gain for the week.'
  ],
  ['Regulators fine exchange over {coin} custody failures', 'The fine follows losses and a hack last year.'],
  ['{coin} developers ship upgrade, fees fall', 'The upgrade improves throughput.'],
  ['Traders fear {coin} crash after whale sells', 'Panic spread as prices plunged.'],
  ['{coin} adoption grows as payments firm adds support', 'Growth in merchant use, analysts optimistic.'],
  ['Court rejects lawsuit against {coin} foundation', 'A win for the project.'],
  ['{coin} slides as miners dump coins', 'Losses deepen amid weak demand.'],
  ['Bank launches {coin} custody for clients', 'A boost for institutional interest.']
]

export function marketArticles(
  coins: readonly string[],
  fromMs: number,
  toMs: number,
  seed: number
): (Partial<ArticleV1> & { id: string; title: string; publishedAt: string })[] {
  const random = seededRandom(seed)
  const sources = ['coindesk', 'cointelegraph', 'decrypt', 'theblock']
  const count = Math.max(4, coins.length * 4)
  return Array.from({ length: count }, (_, i) => {
    const coin = coins[i % coins.length] ?? 'BTC'
    const [title = '', summary = ''] = Headlines[Math.floor(random() * Headlines.length)] ?? []
    const publishedAt = new Date(fromMs + ((i + 0.5) / count) * (toMs - fromMs)).toISOString()
    const id = (seed.toString(16) + i.toString(16).padStart(4, '0')).padEnd(16, 'a').slice(0, 32)
    return {
      id,
      source: sources[i % sources.length] ?? 'coindesk',
      title: title.replace('{coin}', coin),
      summary,
      publishedAt,
      coins: [{ code: coin, mentions: 2, inTitle: true }]
    }
  })
}

export function marketAlerts(
  symbols: readonly string[],
  fromMs: number,
  toMs: number,
  tag: string
): (Partial<AlertV1> & { id: string; symbol: string; eventTs: string })[] {
  const kinds = [
    ['price_move', 'warning', 'Price up 3.2 % in 5 min', 'moved from 91 020 to 93 933'],
    ['volume_spike', 'info', 'Volume 4.1× the hourly average', '1 minute volume 12.4 against 3.0'],
    ['whale_trade', 'critical', 'Whale trade: 48.5 sold at market', 'one trade worth 4.4 M'],
    ['spread_widening', 'warning', 'Spread widened to 0.42 %', 'spread 0.42 % against 0.05 % usually']
  ] as const
  return kinds.map(([kind, severity, title, message], i) => ({
    id: `${tag}-${kind}`,
    symbol: symbols[i % symbols.length] ?? '*',
    kind,
    severity,
    title,
    message,
    eventTs: new Date(fromMs + ((i + 1) / (kinds.length + 1)) * (toMs - fromMs)).toISOString()
  }))
}

/**
 * Publishes trades, a ticker per market, articles and alerts, one kind at a time, and waits until
 * each is stored (and the trades counted in candles): a test starts from a settled database.
 */
export async function seedMarkets(
  pipeline: Pipeline,
  specs: readonly MarketSpec[],
  options: { fromMs: number; toMs: number; tag: string }
): Promise<Map<string, number>> {
  const last = new Map<string, number>()
  const trades: TradeSeed[] = []
  const tickers: Parameters<Pipeline['tickers']>[0][number][] = []
  for (const spec of specs) {
    const market = marketTrades(spec, options.fromMs, options.toMs)
    trades.push(...market.trades)
    last.set(spec.symbol, market.last)
    const volume = market.trades.reduce((sum, t) => sum + Number(t.qty), 0)
    tickers.push({
      symbol: spec.symbol,
      last: market.last.toFixed(spec.decimals),
      bid: (market.last * 0.9999).toFixed(spec.decimals),
      ask: (market.last * 1.0001).toFixed(spec.decimals),
      volume: volume.toFixed(4),
      low: (Math.min(spec.price, market.last) * 0.99).toFixed(spec.decimals),
      high: (Math.max(spec.price, market.last) * 1.01).toFixed(spec.decimals),
      change: (market.last - spec.price).toFixed(spec.decimals),
      changePct: (((market.last - spec.price) / spec.price) * 100).toFixed(2),
      exchangeTs: new Date(options.toMs).toISOString()
    })
  }
  await pipeline.trades(trades)
  await pipeline.stored('select count(*)::int as n from trades', trades.length, 60_000)
  // Each 1-minute candle counts its trades: all counted means the analytics job caught up.
  await pipeline.stored(
    "select coalesce(sum(trades), 0)::int as n from candles where interval = '1m'",
    trades.length,
    60_000
  )
  await pipeline.tickers(tickers)
  await pipeline.stored('select count(*)::int as n from tickers', tickers.length, 60_000)
  const coins = specs.map(s => s.symbol.split('/')[0] ?? 'BTC')
  const articles = marketArticles(coins, options.fromMs, options.toMs, 0xc0ffee)
  await pipeline.articles(articles)
  await pipeline.stored('select count(*)::int as n from article_sentiment', articles.length, 60_000)
  const alerts = marketAlerts(
    specs.map(s => s.symbol),
    options.fromMs,
    options.toMs,
    options.tag
  )
  await pipeline.alerts(alerts)
  await pipeline.stored(
    `select count(*)::int as n from alerts where id like '${options.tag}-%'`,
    alerts.length,
    60_000
  )
  return last
}
