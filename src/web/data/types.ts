/**
 * The API's JSON shapes as the dashboard reads them, derived from the API's contract (src/contract,
 * the schemas the server validates and serialises its answers with): a response changed there
 * changes these types, and the dashboard's type check fails where it reads what is gone. Type-only
 * imports, so nothing of the server enters the bundle. Prices and quantities stay exact decimal
 * strings until something is drawn. Live items the REST answers do not describe are written here.
 */
import type { Static } from '@sinclair/typebox'
import type * as Resources from '../../contract/resources.ts'
import type * as Responses from '../../contract/responses.ts'
import type { ImpactHorizon, Severity, StageStatus } from '../../contract/vocabulary.ts'

export type { Severity }

export type Decimal = string

export type Ticker = Static<typeof Resources.Ticker>

export type SymbolEntry = Static<typeof Responses.SymbolsResponse>['symbols'][number]

export type CandlesPage = Static<typeof Responses.CandlesResponse>

/** A candle of GET /api/candles; live candles (built from trades) carry no `source`. */
export type Candle = Omit<CandlesPage['candles'][number], 'source'> &
  Partial<Pick<CandlesPage['candles'][number], 'source'>>

/** One bucket of buy/sell pressure (GET /api/pressure). */
export type PressurePoint = Static<typeof Resources.PressurePoint>

export type PressureBody = Static<typeof Responses.PressureResponse>

export type IndicatorPoint = Static<typeof Resources.IndicatorPoint>

/** A live `indicators:<SYMBOL>:<INTERVAL>` item: one bucket's values by indicator name. */
export interface IndicatorUpdate {
  bucket: string
  values: Record<string, number>
}

export type Trade = Static<typeof Resources.Trade>

/** What the dashboard shows of a score: from GET /api/articles, or a live `sentiment` item. */
export type ArticleSentiment = Pick<Static<typeof Resources.ArticleSentiment>, 'score' | 'label'>

/**
 * An article of GET /api/articles, or a live `articles` item, which has no score yet (it follows on
 * the `sentiment` channel).
 */
export type Article = Omit<Static<typeof Resources.Article>, 'sentiment' | 'impact'> & {
  sentiment?: ArticleSentiment | null
  /** The move after the article per symbol of its coins; absent on live article events. */
  impact?: ArticleImpact[]
}

export type { ImpactHorizon }

/** The move after an article in one symbol, per horizon (decimal strings, null when unknown). */
export type ArticleImpact = Static<typeof Resources.ArticleImpact>

/** An item of a live `impact` event: an article's move in one symbol, as recomputed. */
export type ImpactUpdate = ArticleImpact & { articleId: string; publishedAt: string }

/** One row of GET /api/impact: an article and the move of one symbol after it. */
export type ImpactMove = Static<typeof Resources.ImpactMove>

export type ImpactSource = Static<typeof Resources.ImpactSource>

/** A live `sentiment` item about one article (its key is the article id). */
export interface ArticleScore {
  articleId: string
  score: number
  label: ArticleSentiment['label']
}

export type SentimentPoint = Static<typeof Resources.SentimentPoint>

export type Alert = Static<typeof Resources.Alert>

export type StageState = StageStatus

export type PipelineStatus = Static<typeof Responses.PipelineResponse>

/** A server → client live event frame. */
export interface LiveEvent {
  type: 'event'
  channel: string
  key: string
  interval?: string
  storedAt: string
  data: unknown
}
