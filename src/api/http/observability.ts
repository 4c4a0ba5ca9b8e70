/** Request rate and latency per route pattern (not per URL: the label set stays small). */
import type { FastifyInstance } from 'fastify'
import type { ApiMetrics } from '../metrics.ts'

export function installRequestMetrics(app: FastifyInstance, metrics: ApiMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) })
    metrics.requestDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000)
  })
}
