/**
 * Starts a real API server on a random port over a fresh PostgreSQL database and the real Redis (cache
 * and live events), as the `api` role would, with knobs for the fault tests (Redis or the database
 * behind a cuttable proxy, small bounds).
 */
import { type ApiServer, createApiServer } from '../../src/api/server.ts'
import type { Cache } from '../../src/cache/cache.ts'
import { FailOpenCache } from '../../src/cache/fail-open-cache.ts'
import { MemoryCache } from '../../src/cache/memory-cache.ts'
import { RedisCache } from '../../src/cache/redis-cache.ts'
import { type Config, configFromEnv } from '../../src/config/config.ts'
import type { LiveEvents } from '../../src/live-events/live-events.ts'
import { RedisLiveEvents } from '../../src/live-events/redis-live-events.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { Health } from '../../src/ops/health.ts'
import { type Registry, createMetricsRegistry } from '../../src/ops/metrics.ts'
import type { Database } from '../../src/store/database.ts'
import { PostgresDatabase } from '../../src/store/postgres/postgres-database.ts'
import type { LagReader } from '../../src/api/pipeline/consumer-lag.ts'
import { apiMetrics } from '../../src/api/metrics.ts'
import { uniqueName } from './names.ts'

export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

export interface TestApi {
  server: ApiServer
  url: string
  wsUrl: string
  health: Health
  metrics: Registry
  /** The database the server reads (through `databaseUrl` when one was given). */
  db: Database
  close(): Promise<void>
}

export interface TestApiOptions {
  /** The database's URL (e.g. through a proxy); default: the test database given as `db`. */
  databaseUrl?: string
  db: Database
  redisUrl?: string
  cache?: 'redis' | 'memory'
  /** Redis cache prefix; default: one of its own, since each test API reads its own database. */
  cacheKeyPrefix?: string
  env?: Record<string, string>
  lag?: LagReader
  live?: LiveEvents
  probeIntervalMs?: number
  /** The dashboard's build, served at `/` (browser tests). */
  staticRoot?: string
  /**
   * Default `report-only`: the browser tests' driver evaluates its waitForFunction expressions inside
   * the page, which an enforced Content-Security-Policy (no 'unsafe-eval') refuses. The tests of the
   * policy itself ask for `enforce`, as the api role runs it.
   */
  contentSecurityPolicy?: 'enforce' | 'report-only'
}

export function testConfig(env: Record<string, string> = {}): Config {
  return configFromEnv({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', ...env })
}

export async function startTestApi(options: TestApiOptions): Promise<TestApi> {
  const config = testConfig(options.env)
  const log = silentLogger()
  const redisUrl = options.redisUrl ?? testRedisUrl
  const db =
    options.databaseUrl === undefined
      ? options.db
      : new PostgresDatabase({ url: options.databaseUrl, log, poolSize: 4 })
  const metrics = createMetricsRegistry()
  const inner: Cache =
    options.cache === 'memory'
      ? new MemoryCache()
      : new RedisCache(redisUrl, log, { keyPrefix: options.cacheKeyPrefix ?? uniqueName('testapi') })
  const cache = new FailOpenCache(inner, { log, errors: apiMetrics(metrics).cacheErrors })
  const live = options.live ?? new RedisLiveEvents(redisUrl, log)
  const health = new Health()
  const server = await createApiServer({
    settings: config.api,
    db,
    cache,
    live,
    metrics,
    health,
    log,
    ...(options.lag === undefined ? {} : { lag: options.lag }),
    ...(options.probeIntervalMs === undefined ? {} : { probeIntervalMs: options.probeIntervalMs }),
    ...(options.staticRoot === undefined ? {} : { staticRoot: options.staticRoot }),
    contentSecurityPolicy: options.contentSecurityPolicy ?? 'report-only'
  })
  const port = await server.listen('127.0.0.1', 0)
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/api/stream`,
    health,
    metrics,
    db,
    async close() {
      await server.close()
      await cache.close()
      if (live !== options.live) await live.close()
      if (db !== options.db) await db.close().catch(() => undefined)
    }
  }
}

/** GET a path and parse its JSON body. */
export async function getJson<T = Record<string, unknown>>(
  base: string,
  path: string
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(base + path)
  return { status: response.status, body: (await response.json()) as T, headers: response.headers }
}
