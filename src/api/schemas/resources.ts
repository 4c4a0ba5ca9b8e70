/**
 * Response bodies, written once as JSON schemas (TypeBox): Fastify serialises answers with them
 * (fields not listed are never sent) and the OpenAPI document shows them. Prices and quantities are
 * exact decimal strings; times are RFC 3339 UTC with microseconds.
 */
import { Type } from '@sinclair/typebox'

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
    side: Type.String({ enum: ['buy', 'sell'], description: "the taker's side" }),
    ordType: Type.String({ enum: ['market', 'limit'] }),
    receivedAt: Time,
    source: Type.String({ enum: ['ws', 'rest'] })
  },
  { $id: 'Trade' }
)

export const ArticleSentiment = Type.Object(
  {
    score: Type.Number({ description: 'from -1 (negative) to 1 (positive)' }),
    label: Type.String({ enum: ['positive', 'neutral', 'negative'] }),
    positiveTerms: Type.Array(Type.String()),
    negativeTerms: Type.Array(Type.String()),
    model: Type.String()
  },
  { $id: 'ArticleSentiment' }
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
          status: Type.String({
            enum: ['extracted', 'feed', 'failed', 'skipped'],
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
    sentiment: Type.Union([Type.Ref(ArticleSentiment), Type.Null()])
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
    severity: Type.String({ enum: ['info', 'warning', 'critical'] }),
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
  Article,
  SentimentPoint,
  Alert
]

/** The error responses every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: Type.Ref(ErrorResponse, { description: 'a parameter is invalid; the body names it' }),
  429: Type.Ref(ErrorResponse, { description: 'rate limit exceeded' }),
  503: Type.Ref(ErrorResponse, { description: 'the database is unreachable' })
}
