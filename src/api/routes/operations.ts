/** Liveness, readiness (503 while a critical dependency, e.g. the database, is down) and Prometheus metrics. */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from './context.ts'

const Report = Type.Object({
  status: Type.String({ enum: ['up', 'degraded', 'down'] }),
  checks: Type.Record(Type.String(), Type.Unknown())
})

const operations = { tags: ['operations'] }
const unlimited = { rateLimit: false }

export function operationsRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get(
    '/health/live',
    {
      config: unlimited,
      schema: {
        ...operations,
        summary: 'Liveness: the process answers',
        response: { 200: Type.Object({ status: Type.Literal('up') }) }
      }
    },
    async () => ({ status: 'up' as const })
  )
  app.get(
    '/health/ready',
    {
      config: unlimited,
      schema: {
        ...operations,
        summary: 'Readiness: 503 while a critical dependency (the database) is unreachable',
        response: { 200: Report, 503: Report }
      }
    },
    async (_request, reply) => {
      const report = context.health.report()
      return reply.status(report.status === 'down' ? 503 : 200).send(report)
    }
  )
  app.get(
    '/metrics',
    {
      config: unlimited,
      schema: {
        ...operations,
        summary: 'Prometheus metrics (text exposition format)',
        produces: ['text/plain'],
        response: { 200: Type.String({ description: 'Prometheus text format' }) }
      }
    },
    async (_request, reply) => reply.type(context.metrics.contentType).send(await context.metrics.metrics())
  )
}
