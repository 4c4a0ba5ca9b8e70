/**
 * Liveness and readiness on the API's own port, for a load balancer in front of it: `/health/live`
 * and `/health/ready` (503 while a critical dependency, e.g. the database, is down) with the bare
 * status. The detailed report (what is down and why) and Prometheus `/metrics` say more about the
 * deployment than the public should read: they are served on the ops port (src/ops/ops-server.ts),
 * and here too only with API_EXPOSE_OPS=true.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from './context.ts'

const Status = Type.String({ enum: ['up', 'degraded', 'down'] })
const Report = Type.Object({ status: Status, checks: Type.Record(Type.String(), Type.Unknown()) })
const BareReport = Type.Object({ status: Status })

const operations = { tags: ['operations'] }
const unlimited = { rateLimit: false as const }

export function operationsRoutes(app: FastifyInstance, context: RouteContext): void {
  const detailed = context.settings.exposeOps
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
        description: detailed
          ? 'With every check and what it says (API_EXPOSE_OPS=true).'
          : 'The status only; the checks are in the report on the ops port (OPS_HOST:OPS_PORT/health/ready).',
        response: detailed ? { 200: Report, 503: Report } : { 200: BareReport, 503: BareReport }
      }
    },
    async (_request, reply) => {
      const report = context.health.report()
      const body = detailed ? report : { status: report.status }
      return reply.status(report.status === 'down' ? 503 : 200).send(body)
    }
  )
  if (!detailed) return
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
