/**
 * The API's response bodies, written once as TypeBox schemas: the routes validate and serialise
 * their answers with them, the OpenAPI document shows them, and the dashboard derives its types from
 * them (src/web/data/types.ts), so the server's and the browser's view of a response cannot drift.
 * Imports nothing but TypeBox and the contract itself: the browser's type check reads this file.
 */
import { Type } from '@sinclair/typebox'
import { StringEnum } from './string-enum.ts'
import { CandleSources, SourceModes, SourceStates, StageStatuses } from './vocabulary.ts'
import {
  Alert,
  Article,
  Candle,
  ImpactMove,
  ImpactSource,
  IndicatorPoint,
  NextCursor,
  PressurePoint,
  SentimentPoint,
  Ticker,
  Trade
} from './resources.ts'

export const SymbolsResponse = Type.Object({
  symbols: Type.Array(
    Type.Object({
      symbol: Type.String({ examples: ['BTC/USD'] }),
      ticker: Type.Union([Type.Ref(Ticker), Type.Null()], { description: 'null until a ticker was stored' })
    })
  )
})

export const TradesResponse = Type.Object({
  symbol: Type.String(),
  trades: Type.Array(Type.Ref(Trade), { description: 'newest first' }),
  nextCursor: NextCursor
})

export const ArticlesResponse = Type.Object({
  articles: Type.Array(Type.Ref(Article), { description: 'newest first (by publication time)' }),
  nextCursor: NextCursor
})

export const SentimentResponse = Type.Object({
  coin: Type.String(),
  interval: Type.String(),
  points: Type.Array(Type.Ref(SentimentPoint), { description: 'oldest first' }),
  nextCursor: NextCursor
})

export const PressureResponse = Type.Object({
  interval: Type.String(),
  series: Type.Array(
    Type.Object({
      symbol: Type.String(),
      points: Type.Array(Type.Ref(PressurePoint), { description: 'oldest first' })
    }),
    { description: 'one per requested symbol, in the order asked (empty points: no trades stored)' }
  )
})

export const AlertsResponse = Type.Object({
  alerts: Type.Array(Type.Ref(Alert), { description: 'newest first (by event time)' }),
  nextCursor: NextCursor
})

const { buyVolume, sellVolume, ...candleFields } = Candle.properties

/** A candle and its origin; the exchange's candles have no taker split, so no buy/sell volumes. */
export const MarketCandle = Type.Object({
  ...candleFields,
  buyVolume: Type.Optional(buyVolume),
  sellVolume: Type.Optional(sellVolume),
  source: StringEnum(CandleSources, {
    description:
      "trades: built by the pipeline from the trades it saw; exchange: Kraken's own OHLC, for a bucket without those (history from before the pipeline ran)"
  })
})

export const CandlesResponse = Type.Object({
  symbol: Type.String(),
  interval: Type.String(),
  candles: Type.Array(MarketCandle, { description: 'oldest first' }),
  indicators: Type.Optional(
    Type.Record(Type.String(), Type.Array(Type.Ref(IndicatorPoint)), {
      description: 'per requested name, its values over the buckets of the returned candles'
    })
  ),
  nextCursor: NextCursor
})

const Time = Type.Union([Type.String(), Type.Null()])
const Status = StringEnum(StageStatuses, {})
const Source = Type.Union([
  Type.Object({
    state: StringEnum(SourceStates, {}),
    detail: Type.String()
  }),
  Type.Null()
])

export const PipelineResponse = Type.Object({
  generatedAt: Type.String(),
  stages: Type.Array(
    Type.Object({
      stage: Type.String({ description: 'produce, ingest, analytics, api (and any other role heard)' }),
      status: Status,
      lastEventAt: Type.Union([Type.String(), Type.Null()], {
        description: 'newest event the stage reported, else the newest data it stored'
      }),
      throughputPerSec: Type.Union([Type.Number(), Type.Null()]),
      instances: Type.Array(
        Type.Object({
          instance: Type.String({ description: 'host:pid' }),
          role: Type.String({ description: 'the roles that process runs, e.g. ingest or produce+ingest' }),
          status: Status,
          startedAt: Type.String(),
          lastHeartbeatAt: Type.String(),
          checks: Type.Record(Type.String(), Type.Unknown(), {
            description: "the process's health checks: status, detail and data (producers: connection state)"
          })
        })
      )
    })
  ),
  data: Type.Union([
    Type.Object({
      trades: Time,
      tickers: Time,
      candles: Time,
      articles: Time,
      sentiment: Time,
      alerts: Time
    }),
    Type.Null()
  ]),
  dataError: Type.Union([Type.String(), Type.Null()]),
  kafka: Type.Object({
    available: Type.Boolean(),
    error: Type.Union([Type.String(), Type.Null()]),
    checkedAt: Time,
    groups: Type.Array(
      Type.Object({
        groupId: Type.String(),
        state: Type.String(),
        totalLag: Type.Integer(),
        partitions: Type.Array(
          Type.Object({
            topic: Type.String(),
            partition: Type.Integer(),
            committedOffset: Type.Integer({ description: 'the next offset the group reads, as committed' }),
            endOffset: Type.Integer(),
            lag: Type.Integer()
          })
        )
      })
    )
  }),
  sources: Type.Object(
    {
      mode: Type.Union([StringEnum(SourceModes, {}), Type.Null()], {
        description: 'replay: bundled data through in-process fake servers, not the live market'
      }),
      kraken: Source,
      news: Source,
      notice: Type.Union([Type.String(), Type.Null()], {
        description: 'a sentence for a banner while live data is not coming in (e.g. Kraken unreachable)'
      })
    },
    { description: "the producers' connections, from their heartbeats; null fields when no producer runs" }
  )
})

export const ImpactResponse = Type.Object({
  moves: Type.Array(Type.Ref(ImpactMove), {
    description: 'newest first (sort=time) or largest |abnormal| at `horizon` first (sort=abnormal)'
  }),
  nextCursor: NextCursor
})

export const ImpactSourcesResponse = Type.Object({
  horizon: Type.String(),
  sources: Type.Array(Type.Ref(ImpactSource), { description: 'most moves first' })
})
