/**
 * The API server: REST under /api, live push at /api/stream, health (and metrics with
 * API_EXPOSE_OPS), and the OpenAPI document with its docs page, behind the front door of
 * docs/security.md: security headers, compression, CORS, rate limits, 405/404 for what no route
 * takes. `createApiServer` wires it from its dependencies (tests start it on a random port with real
 * PostgreSQL and Redis); api-role.ts runs it as the `api` role.
 */
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import websocket from '@fastify/websocket'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import type { Registry } from 'prom-client'
import type { FailOpenCache } from '../cache/fail-open-cache.ts'
import type { LiveEvents } from '../live-events/live-events.ts'
import type { Logger } from '../log/logger.ts'
import type { Health } from '../ops/health.ts'
import type { Database } from '../store/database.ts'
import { dataFreshness } from '../store/queries/freshness.ts'
import { CachedReads } from './cached-reads.ts'
import { Cursors } from './cursor.ts'
import { DatabaseProbe } from './database-probe.ts'
import { registerDocs } from './docs.ts'
import { rateLimited } from './errors.ts'
import { installCompression } from './http/compression.ts'
import { dashboardInlineSources, serveDashboard } from './http/dashboard.ts'
import { installErrorHandlers } from './http/error-handler.ts'
import { clientErrorHandler, frameworkErrors } from './http/framework-errors.ts'
import { installRequestMetrics } from './http/observability.ts'
import { installParameterGuard } from './http/parameter-guard.ts'
import { type PolicyMode, installSecurityHeaders, noInlineSources } from './http/security-headers.ts'
import { RouteIndex, installUnroutedHandler } from './http/unrouted.ts'
import { invalidatedGroups } from './invalidation.ts'
import { LiveHub } from './live/live-hub.ts'
import { apiMetrics } from './metrics.ts'
import { observedDatabase } from './observed-database.ts'
import { HeartbeatBook } from './pipeline/heartbeats.ts'
import type { LagReader } from './pipeline/consumer-lag.ts'
import { PipelineStatus } from './pipeline/pipeline-status.ts'
import { alertsRoutes } from './routes/alerts.ts'
import { articlesRoutes } from './routes/articles.ts'
import { candlesRoutes } from './routes/candles.ts'
import type { ApiSettings, RouteContext } from './routes/context.ts'
import { impactRoutes } from './routes/impact.ts'
import { operationsRoutes } from './routes/operations.ts'
import { pipelineRoutes } from './routes/pipeline.ts'
import { pressureRoutes } from './routes/pressure.ts'
import { sentimentRoutes } from './routes/sentiment.ts'
import { streamRoutes } from './routes/stream.ts'
import { symbolsRoutes } from './routes/symbols.ts'
import { tradesRoutes } from './routes/trades.ts'
import { sharedSchemas } from '../contract/resources.ts'

export interface ApiServerDeps {
  settings: ApiSettings
  db: Database
  cache: FailOpenCache
  live: LiveEvents
  metrics: Registry
  health: Health
  log: Logger
  /** Kafka consumer lag for the pipeline status; without it the status says lag is unavailable. */
  lag?: LagReader
  /**
   * HOOK for the dashboard (src/web): a folder of static files served at `/` when it exists, e.g. the
   * web build output `src/web/dist`. The API routes keep precedence.
   */
  staticRoot?: string
  /** Readiness probe period (default 1 s). */
  probeIntervalMs?: number
  /** The Content-Security-Policy enforced (default) or only reported (http/security-headers.ts). */
  contentSecurityPolicy?: PolicyMode
}

export interface ApiServer {
  readonly app: FastifyInstance
  readonly hub: LiveHub
  /** Every route registered (method and URL pattern), in registration order. */
  readonly routes: readonly { method: string; url: string }[]
  /** Listens and resolves with the bound port (0 picks a free one). */
  listen(host: string, port: number): Promise<number>
  /** Graceful: closes live connections (1001), lets in-flight requests finish, stops listening. */
  close(): Promise<void>
}

export async function createApiServer(deps: ApiServerDeps): Promise<ApiServer> {
  const { settings, log } = deps
  const metrics = apiMetrics(deps.metrics)
  const probe = new DatabaseProbe(deps.db, log, { intervalMs: deps.probeIntervalMs ?? 1_000 })
  deps.health.register('database', () => probe.check())
  deps.health.register(
    'cache',
    () =>
      deps.cache.healthy
        ? { status: 'up', detail: `${deps.cache.kind} cache` }
        : {
            status: 'degraded',
            detail: `${deps.cache.kind} cache failing, reading the database: ${deps.cache.lastError}`
          },
    { critical: false }
  )
  const db = observedDatabase(deps.db, probe)
  const reads = new CachedReads({ cache: deps.cache, maxStalenessMs: settings.cacheMaxStalenessMs, metrics })
  const hub = new LiveHub({ ...settings.live, metrics })
  const heartbeats = new HeartbeatBook()
  const pipeline = new PipelineStatus({ heartbeats, freshness: () => dataFreshness(db), lag: deps.lag })
  const subscription = await deps.live.subscribe(event => {
    heartbeats.record(event)
    const groups = invalidatedGroups(event)
    if (groups.length > 0) void reads.invalidate(groups)
    hub.dispatch(event)
  })

  const context: RouteContext = {
    settings,
    db,
    reads,
    cursors: new Cursors(settings.cursorKey),
    pipeline,
    hub,
    health: deps.health,
    metrics: deps.metrics
  }
  let app: FastifyInstance
  let routes: { method: string; url: string }[]
  try {
    ;({ app, routes } = await assembleHttp(deps, context, probe))
  } catch (error) {
    // Nothing half-built may outlive a failed start: the caller only gets the error.
    probe.stop()
    await subscription.close()
    await hub.close(0)
    deps.health.unregister('database')
    deps.health.unregister('cache')
    throw error
  }

  let closed: Promise<void> | undefined
  return {
    app,
    hub,
    routes,
    async listen(host, port) {
      await app.listen({ host, port })
      return (app.server.address() as AddressInfo).port
    },
    close() {
      closed ??= (async () => {
        probe.stop()
        await subscription.close()
        await app.close()
        deps.health.unregister('database')
        deps.health.unregister('cache')
      })()
      return closed
    }
  }
}

/** The Fastify instance: plugins in the order they must see the routes, then the routes. */
async function assembleHttp(
  deps: ApiServerDeps,
  context: RouteContext,
  probe: DatabaseProbe
): Promise<{ app: FastifyInstance; routes: { method: string; url: string }[] }> {
  const { settings, log } = deps
  const hub = context.hub
  const metrics = apiMetrics(deps.metrics)
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: settings.trustProxy,
    return503OnClosing: true,
    frameworkErrors,
    clientErrorHandler,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false }
    }
  })
  const routes: { method: string; url: string }[] = []
  app.addHook('onRoute', route => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url })
  })
  const routeIndex = new RouteIndex(app)
  const dashboardRoot =
    deps.staticRoot !== undefined && existsSync(deps.staticRoot) ? deps.staticRoot : undefined
  for (const schema of sharedSchemas) app.addSchema(schema)
  installErrorHandlers(app, error => probe.reportFailure(error))
  installParameterGuard(app)
  installRequestMetrics(app, metrics)
  await installSecurityHeaders(
    app,
    dashboardRoot === undefined ? noInlineSources : dashboardInlineSources(dashboardRoot),
    deps.contentSecurityPolicy
  )
  await installCompression(app)
  if (settings.corsOrigins.length > 0)
    await app.register(cors, {
      origin: settings.corsOrigins.includes('*') ? '*' : [...settings.corsOrigins],
      methods: ['GET', 'HEAD', 'OPTIONS']
    })
  if (settings.rateLimitPerMinute > 0)
    await app.register(rateLimit, {
      max: settings.rateLimitPerMinute,
      timeWindow: 60_000,
      errorResponseBuilder: (_request, context) =>
        rateLimited(settings.rateLimitPerMinute, Math.ceil(context.ttl / 1000))
    })
  installUnroutedHandler(app, routeIndex, settings.rateLimitPerMinute > 0 ? app.rateLimit() : undefined)
  await registerDocs(app)
  await app.register(websocket, {
    options: { maxPayload: 16 * 1024 },
    preClose: async () => {
      await hub.close()
    }
  })

  for (const register of [
    symbolsRoutes,
    candlesRoutes,
    pressureRoutes,
    tradesRoutes,
    articlesRoutes,
    sentimentRoutes,
    impactRoutes,
    alertsRoutes,
    pipelineRoutes,
    streamRoutes,
    operationsRoutes
  ])
    register(app, context)
  // HOOK: the dashboard's static files (src/web build output), when present.
  if (dashboardRoot !== undefined) await serveDashboard(app, dashboardRoot)
  await app.ready()

  return { app, routes }
}
