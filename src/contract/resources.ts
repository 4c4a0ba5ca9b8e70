/**
 * Response bodies, written once as JSON schemas (TypeBox): Fastify serialises answers with them
 * (fields not listed are never sent) and the OpenAPI document shows them. Prices and quantities are
 * exact decimal strings; times are RFC 3339 UTC with microseconds.
 */
import { Type } from '@sinclair/typebox'
import { StringEnum } from './string-enum.ts'
import { ExtractionStatuses, SentimentLabels, Severities, TradeSides } from './vocabulary.ts'

const Decimal = Type.String({ description: 'exact decimal as text', examples: ['83744.20000'] })
const Time = Type.String({ description: 'RFC 3339 UTC time (µs)', examples: ['2026-11-25T14:05:00.000000Z'] })
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()])

export const NextCursor = Type.Union([Type.String(), Type.Null()], {
  description: 'pass as `cursor` to get the next page; null on the last page'
})

export const ErrorResponse = Type.Object(
  {
    error: Type.String({
      description: 'short error kind: bad_request, not_found, rate_limited, unavailable, internal'
    }),
    code: Type.String({ description: 'stable error code (docs/errors.md)' }),
    message: Type.String(),
    parameter: Type.Optional(Type.String({ description: 'the parameter at fault (400 only)' })),
    expected: Type.Optional(Type.String({ description: 'what that parameter expects (400 only)' }))
  },
  { $id: 'Error' }
)

export const Ticker = Type.Object(
  {
    symbol: Type.String(),
    ts: Type.String({
      description: 'exchange time (receive time when the venue sent none), RFC 3339 UTC (µs)'
    }),
    bid: Decimal,
    bidQty: Decimal,
    ask: Decimal,
    askQty: Decimal,
    last: Decimal,
    volume24h: Decimal,
    vwap24h: Decimal,
    low24h: Decimal,
    high24h: Decimal,
    change24h: Decimal,
    changePct24h: Type.String({ description: 'percent, as exact decimal text (-0.51 = -0.51 %)' }),
    receivedAt: Time
  },
  { $id: 'Ticker' }
)

export const Candle = Type.Object(
  {
    bucket: Type.String({ description: 'start of the interval, RFC 3339 UTC' }),
    open: Decimal,
    high: Decimal,
    low: Decimal,
    close: Decimal,
    volume: Type.String({ description: 'base volume, exact decimal' }),
    quoteVolume: Type.String({ description: 'sum of price × qty, exact decimal' }),
    vwap: Decimal,
    trades: Type.Integer(),
    buyVolume: Type.String({ description: 'taker-buy base volume' }),
    sellVolume: Type.String({ description: 'taker-sell base volume' })
  },
  { $id: 'Candle' }
)

export const PressurePoint = Type.Object(
  {
    bucket: Type.String({ description: 'start of the interval, RFC 3339 UTC' }),
    buyVolume: Type.String({ description: 'taker-buy base volume, exact decimal' }),
    sellVolume: Type.String({ description: 'taker-sell base volume, exact decimal' }),
    imbalance: Type.String({
      description: '(buy − sell) / (buy + sell), exact decimal text from -1 (all sells) to 1 (all buys)',
      examples: ['0.250000000000']
    }),
    buyTrades: Type.Union([Type.Integer(), Type.Null()], {
      description: 'taker-buy trades (null for buckets stored before per-side counts were kept)'
    }),
    sellTrades: Type.Union([Type.Integer(), Type.Null()]),
    buyQuoteVolume: Type.Union([Type.String(), Type.Null()], {
      description: 'taker-buy Σ price × qty, exact decimal (quote currency)'
    }),
    sellQuoteVolume: Type.Union([Type.String(), Type.Null()])
  },
  { $id: 'PressurePoint' }
)

export const IndicatorPoint = Type.Object({ bucket: Time, value: Type.Number() }, { $id: 'IndicatorPoint' })

export const Trade = Type.Object(
  {
    tradeId: Type.Integer(),
    ts: Type.String({ description: 'exchange time, RFC 3339 UTC (µs)' }),
    price: Decimal,
    qty: Decimal,
    side: StringEnum(TradeSides, { description: "the taker's side" }),
    ordType: Type.String({ enum: ['market', 'limit'] }),
    receivedAt: Time,
    source: Type.String({ enum: ['ws', 'rest'] })
  },
  { $id: 'Trade' }
)

export const ArticleSentiment = Type.Object(
  {
    score: Type.Number({ description: 'from -1 (negative) to 1 (positive)' }),
    label: StringEnum(SentimentLabels, {}),
    positiveTerms: Type.Array(Type.String()),
    negativeTerms: Type.Array(Type.String()),
    model: Type.String()
  },
  { $id: 'ArticleSentiment' }
)

const perHorizon = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T, description: string) =>
  Type.Object(
    {
      '5m': schema,
      '30m': schema,
      '2h': schema,
      '24h': schema
    },
    { description }
  )

const NullableDecimal = (examples: string[]) =>
  Type.Union([Type.String({ description: 'exact decimal as text', examples }), Type.Null()])

/** The four horizons of one article's move in one symbol (docs/impact.md). */
const impactFigures = {
  returns: perHorizon(
    NullableDecimal(['0.004211093825']),
    'p_h / p0 - 1 per horizon (12 decimals); null without candles in the 24 h before the publication'
  ),
  abnormal: perHorizon(
    NullableDecimal(['2.418803']),
    'the return in standard deviations of an ordinary move as long (6 decimals); null with fewer than 30 one-minute returns before'
  ),
  volumeRatio: perHorizon(
    NullableDecimal(['1.873000']),
    'volume in the window over the 24 h average of an equal window (6 decimals); null when nothing traded before'
  ),
  final: perHorizon(
    Type.Boolean(),
    'true once the window has closed beyond the analytics lateness: the figures can no longer change'
  )
}

export const ArticleImpact = Type.Object(
  { symbol: Type.String({ examples: ['BTC/USD'] }), ...impactFigures },
  { $id: 'ArticleImpact' }
)

export const ImpactMove = Type.Object(
  {
    articleId: Type.String(),
    title: Type.String(),
    source: Type.String(),
    url: Type.String(),
    publishedAt: Time,
    symbol: Type.String({ examples: ['BTC/USD'] }),
    sentiment: Type.Union([
      Type.Object({
        score: Type.Number({ description: 'from -1 (negative) to 1 (positive)' }),
        label: StringEnum(SentimentLabels, {})
      }),
      Type.Null()
    ]),
    ...impactFigures
  },
  { $id: 'ImpactMove' }
)

export const ImpactSource = Type.Object(
  {
    source: Type.String(),
    articles: Type.Integer({ description: 'articles with a final move at the horizon' }),
    moves: Type.Integer({
      description: 'article × symbol moves counted (an article about two coins counts twice)'
    }),
    meanAbsAbnormal: NullableDecimal(['1.204511']),
    signCompared: Type.Integer({
      description: 'moves whose article was positive or negative and whose return was not zero'
    }),
    signMatched: Type.Integer({ description: 'of those, moves in the direction the sentiment said' }),
    hitRate: Type.Union(
      [Type.String({ description: 'signMatched / signCompared, 6 decimals' }), Type.Null()],
      {
        description: 'null when nothing was compared; read it with signCompared: small samples say little'
      }
    )
  },
  { $id: 'ImpactSource' }
)

export const Article = Type.Object(
  {
    id: Type.String(),
    source: Type.String(),
    url: Type.String(),
    title: Type.String(),
    summary: Type.String(),
    excerpt: Type.String({
      description:
        'the start of the main text (else the summary), about 320 characters; read the rest at `url`'
    }),
    contentLength: Type.Integer({ description: 'characters of main text stored (0: the feed summary only)' }),
    extraction: Type.Union(
      [
        Type.Object({
          status: StringEnum(ExtractionStatuses, {
            description:
              'extracted: from the article page; feed: the feed carried the full text; failed/skipped: the summary only'
          }),
          reason: Type.Union([Type.String(), Type.Null()], { description: 'why it failed or was skipped' })
        }),
        Type.Null()
      ],
      { description: 'how the main text was obtained (null: not attempted)' }
    ),
    authors: Type.Array(Type.String()),
    categories: Type.Array(Type.String()),
    imageUrl: Nullable(Type.String()),
    publishedAt: Time,
    publishedAtEstimated: Type.Boolean(),
    sponsored: Type.Boolean(),
    coins: Type.Array(
      Type.Object({ code: Type.String(), mentions: Type.Integer(), inTitle: Type.Boolean() })
    ),
    sentiment: Type.Union([Type.Ref(ArticleSentiment), Type.Null()]),
    impact: Type.Array(Type.Ref(ArticleImpact), {
      description: 'the move after the article in each tracked symbol of its coins (empty: none tracked)'
    })
  },
  { $id: 'Article' }
)

export const SentimentPoint = Type.Object(
  {
    bucket: Time,
    articles: Type.Integer(),
    scoreSum: Type.Number(),
    scoreAvg: Type.Number(),
    indexValue: Type.Number({ description: 'the rolling (EWMA) index at the end of the bucket' })
  },
  { $id: 'SentimentPoint' }
)

export const Alert = Type.Object(
  {
    id: Type.String(),
    rule: Type.String(),
    kind: Type.String(),
    symbol: Type.String({ description: 'market symbol, coin code, or * for the whole market' }),
    severity: StringEnum(Severities, {}),
    title: Type.String(),
    message: Type.String(),
    value: Type.Number(),
    threshold: Type.Number(),
    eventTs: Time,
    raisedAt: Time,
    details: Type.Record(Type.String(), Type.Unknown())
  },
  { $id: 'Alert' }
)

/** Shared schemas registered once with Fastify (`addSchema`), referenced by `$ref` in routes. */
export const sharedSchemas = [
  ErrorResponse,
  Ticker,
  Candle,
  PressurePoint,
  IndicatorPoint,
  Trade,
  ArticleSentiment,
  ArticleImpact,
  Article,
  ImpactMove,
  ImpactSource,
  SentimentPoint,
  Alert
]

/** The error responses every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: Type.Ref(ErrorResponse, { description: 'a parameter is invalid; the body names it' }),
  429: Type.Ref(ErrorResponse, { description: 'rate limit exceeded' }),
  503: Type.Ref(ErrorResponse, { description: 'the database is unreachable' })
}
