/**
 * The `api` role: serves the HTTP API and live push on API_HOST:API_PORT over the process's shared
 * database and live-events channel, with the cache in Redis (or in memory for the embedded mode) and
 * consumer lag for the pipeline status through the bus's inspector (Kafka or embedded alike).
 */
import { fileURLToPath } from 'node:url'
import { declaredTopics } from '../schemas/topics.ts'
import type { Cache } from '../cache/cache.ts'
import { FailOpenCache } from '../cache/fail-open-cache.ts'
import { MemoryCache } from '../cache/memory-cache.ts'
import { RedisCache } from '../cache/redis-cache.ts'
import { portInUse } from '../ops/port-in-use.ts'
import type { Role } from '../role/role.ts'
import { apiMetrics } from './metrics.ts'
import { trackApiActivity } from './pipeline/api-activity.ts'
import { createLagReader } from './pipeline/consumer-lag.ts'
import { createApiServer } from './server.ts'

export interface ApiRoleOptions {
  /** Where cached answers live: Redis (shared by every instance; default) or this process's memory. */
  cache?: 'redis' | 'memory'
  /** The dashboard's static files; default src/web/dist (served only when it exists). */
  staticRoot?: string
  /** Told the address once the server listens (API_PORT=0 picks a free port). */
  onListening?: (url: string) => void
}

export function apiRole(options: ApiRoleOptions = {}): Role {
  return {
    name: 'api',
    async start(context) {
      const { config, log } = context
      const db = await context.database()
      const inner: Cache =
        options.cache === 'memory'
          ? new MemoryCache()
          : new RedisCache(config.redis.url, log, { keyPrefix: config.redis.keyPrefix })
      const cache = new FailOpenCache(inner, { log, errors: apiMetrics(context.metrics).cacheErrors })
      // The bus's own inspector: its admin connection is closed with the bus, not here.
      const lag =
        context.bus.inspector === undefined
          ? undefined
          : createLagReader(context.bus.inspector, {
              topics: declaredTopics(config.topics).map(topic => topic.name)
            })
      const server = await createApiServer({
        settings: config.api,
        db,
        cache,
        live: context.live(),
        metrics: context.metrics,
        health: context.health,
        log,
        ...(lag === undefined ? {} : { lag }),
        staticRoot: options.staticRoot ?? fileURLToPath(new URL('../web/dist/', import.meta.url))
      })
      const port = await server.listen(config.api.host, config.api.port).catch(async (error: unknown) => {
        await server.close()
        await cache.close()
        throw portInUse(error, { host: config.api.host, port: config.api.port, variable: 'API_PORT' })
      })
      log.info(
        { url: `http://${config.api.host}:${port}/api`, docs: `http://${config.api.host}:${port}/api/docs` },
        'API listening'
      )
      // What the API did lately (requests, live events), for its heartbeat and the pipeline view.
      const activity = await trackApiActivity({
        server: server.app.server,
        live: context.live(),
        health: context.health
      })
      options.onListening?.(`http://${config.api.host}:${port}/`)
      return {
        async stop() {
          await activity.stop()
          await server.close()
          await cache.close()
        }
      }
    }
  }
}
