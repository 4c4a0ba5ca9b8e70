/** GET /api/pipeline: per-stage status, data freshness and Kafka consumer lag. */
import type { FastifyInstance } from 'fastify'
import { Query } from '../schemas/params.ts'
import { PipelineResponse } from '../../contract/responses.ts'
import { errorResponses } from '../../contract/resources.ts'
import type { RouteContext } from './context.ts'

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
