/** GET /api/pipeline: per-stage status, data freshness and Kafka consumer lag. */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { Query } from '../schemas/params.ts'
import { errorResponses } from '../schemas/resources.ts'
import type { RouteContext } from './context.ts'

const Time = Type.Union([Type.String(), Type.Null()])
const Status = Type.String({ enum: ['up', 'degraded', 'down'] })
const Source = Type.Union([
  Type.Object({
    state: Type.String({ enum: ['connected', 'connecting', 'reconnecting', 'unreachable', 'degraded'] }),
    detail: Type.String()
  }),
  Type.Null()
])

const PipelineResponse = Type.Object({
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
            committedOffset: Type.Integer({ description: '-1: nothing committed yet' }),
            endOffset: Type.Integer(),
            lag: Type.Integer()
          })
        )
      })
    )
  }),
  sources: Type.Object(
    {
      mode: Type.Union([Type.String({ enum: ['live', 'replay'] }), Type.Null()], {
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

export function pipelineRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get(
    '/api/pipeline',
    {
      schema: {
        tags: ['pipeline'],
        summary: 'Pipeline status: stages up/down, last event, throughput, Kafka lag, producers',
        description:
          'Stages are known from the heartbeats every process sends every 5 s; one silent for 3 intervals is down. ' +
          "`kafka` holds consumer lag (from the embedded bus in embedded mode); `sources` the producers' connections.",
        querystring: Query({}),
        response: { 200: PipelineResponse, ...errorResponses }
      }
    },
    async () => context.pipeline.read()
  )
}
