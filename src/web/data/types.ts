/**
 * The API's JSON shapes as the dashboard reads them (docs: /api/docs). Written here rather than
 * imported from src/api, because the dashboard is a stage of its own and may not import another
 * stage; prices and quantities stay exact decimal strings until something is drawn.
 */

export type Decimal = string

export interface Ticker {
  symbol: string
  ts: string
  bid: Decimal
  ask: Decimal
  last: Decimal
  volume24h: Decimal
  vwap24h: Decimal
  low24h: Decimal
  high24h: Decimal
  change24h: Decimal
  changePct24h: Decimal
  receivedAt: string
}

export interface SymbolEntry {
  symbol: string
  ticker: Ticker | null
}

export interface Candle {
  bucket: string
  open: Decimal
  high: Decimal
  low: Decimal
  close: Decimal
  volume: Decimal
  quoteVolume: Decimal
  vwap: Decimal
  trades: number
  buyVolume?: Decimal
  sellVolume?: Decimal
  /**
   * trades: built by the pipeline from the trades it saw; exchange: Kraken's own OHLC for a bucket
   * the pipeline has no trades of (history from before it ran). Absent from older servers: trades.
   */
  source?: 'trades' | 'exchange'
}

/** One bucket of buy/sell pressure (GET /api/pressure). */
export interface PressurePoint {
  bucket: string
  buyVolume: Decimal
  sellVolume: Decimal
  /** (buy − sell) / (buy + sell), exact decimal text in [−1, 1]. */
  imbalance: Decimal
  buyTrades: number | null
  sellTrades: number | null
}

export interface PressureBody {
  interval: string
  series: { symbol: string; points: PressurePoint[] }[]
}

export interface IndicatorPoint {
  bucket: string
  value: number
}

export interface CandlesPage {
  symbol: string
  interval: string
  candles: Candle[]
  indicators?: Record<string, IndicatorPoint[]>
  nextCursor: string | null
}

/** A live `indicators:<SYMBOL>:<INTERVAL>` item: one bucket's values by indicator name. */
export interface IndicatorUpdate {
  bucket: string
  values: Record<string, number>
}

export interface Trade {
  tradeId: number
  ts: string
  price: Decimal
  qty: Decimal
  side: 'buy' | 'sell'
}

export interface ArticleSentiment {
  score: number
  label: 'positive' | 'neutral' | 'negative'
}

export interface Article {
  id: string
  source: string
  url: string
  title: string
  summary: string
  /** The start of the main text (or the summary); older API answers have none. */
  excerpt?: string
  /** Characters of main text stored: 0 when only the feed's summary is known. */
  contentLength?: number
  extraction?: { status: string; reason: string | null } | null
  publishedAt: string
  coins: { code: string; mentions: number; inTitle: boolean }[]
  /** Absent on live article events: the score follows on the `sentiment` channel. */
  sentiment?: ArticleSentiment | null
  /** The move after the article per symbol of its coins; absent on live article events. */
  impact?: ArticleImpact[]
}

export const ImpactHorizons = ['5m', '30m', '2h', '24h'] as const
export type ImpactHorizon = (typeof ImpactHorizons)[number]

/** Per horizon: decimal strings (null when unknown) and whether the figure can still change. */
export interface ImpactFigures {
  returns: Record<ImpactHorizon, Decimal | null>
  abnormal: Record<ImpactHorizon, Decimal | null>
  volumeRatio: Record<ImpactHorizon, Decimal | null>
  final: Record<ImpactHorizon, boolean>
}

export interface ArticleImpact extends ImpactFigures {
  symbol: string
}

/** An item of a live `impact` event: an article's move in one symbol, as recomputed. */
export interface ImpactUpdate extends ArticleImpact {
  articleId: string
  publishedAt: string
}

/** One row of GET /api/impact: an article and the move of one symbol after it. */
export interface ImpactMove extends ImpactFigures {
  articleId: string
  title: string
  source: string
  url: string
  publishedAt: string
  symbol: string
  sentiment: ArticleSentiment | null
}

export interface ImpactSource {
  source: string
  articles: number
  moves: number
  meanAbsAbnormal: Decimal | null
  signCompared: number
  signMatched: number
  hitRate: Decimal | null
}

/** A live `sentiment` item about one article (its key is the article id). */
export interface ArticleScore {
  articleId: string
  score: number
  label: ArticleSentiment['label']
}

export interface SentimentPoint {
  bucket: string
  articles: number
  scoreAvg: number
  indexValue: number
}

export type Severity = 'info' | 'warning' | 'critical'

export interface Alert {
  id: string
  rule: string
  kind: string
  symbol: string
  severity: Severity
  title: string
  message: string
  value: number
  threshold: number
  eventTs: string
  raisedAt: string
}

export type StageState = 'up' | 'degraded' | 'down'

export interface PipelineStatus {
  generatedAt: string
  stages: {
    stage: string
    status: StageState
    lastEventAt: string | null
    throughputPerSec: number | null
    instances: { instance: string; role: string; status: StageState; lastHeartbeatAt: string }[]
  }[]
  data: Record<string, string | null> | null
  dataError: string | null
  kafka: {
    available: boolean
    error: string | null
    checkedAt: string | null
    groups: {
      groupId: string
      state: string
      totalLag: number
      partitions: {
        topic: string
        partition: number
        committedOffset: number
        endOffset: number
        lag: number
      }[]
    }[]
  }
}

/** A server → client live event frame. */
export interface LiveEvent {
  type: 'event'
  channel: string
  key: string
  interval?: string
  storedAt: string
  data: unknown
}
