/**
 * The `api` role: serves the HTTP API and live push on API_HOST:API_PORT over the process's shared
 * database and live-events channel, with the cache in Redis (or in memory for the embedded mode) and
 * Kafka consumer lag read through the admin API for the pipeline status.
 */
import { fileURLToPath } from 'node:url'
import { kafkaConnection } from '../bus/kafka/kafka-options.ts'
import { declaredTopics } from '../bus/topics.ts'
import type { Cache } from '../cache/cache.ts'
import { FailOpenCache } from '../cache/fail-open-cache.ts'
import { MemoryCache } from '../cache/memory-cache.ts'
import { RedisCache } from '../cache/redis-cache.ts'
import type { Role } from '../runtime/role.ts'
import { apiMetrics } from './metrics.ts'
import { createKafkaLagReader } from './pipeline/kafka-lag.ts'
import { createApiServer } from './server.ts'

export interface ApiRoleOptions {
  /** Where cached answers live: Redis (shared by every instance; default) or this process's memory. */
  cache?: 'redis' | 'memory'
  /** The dashboard's static files; default src/web/dist (served only when it exists). */
  staticRoot?: string
}

export function apiRole(options: ApiRoleOptions = {}): Role {
  return {
    name: 'api',
    async start(context) {
      const { config, log } = context
      const db = await context.database()
      const inner: Cache =
        options.cache === 'memory' ? new MemoryCache() : new RedisCache(config.redis.url, log)
      const cache = new FailOpenCache(inner, { log, errors: apiMetrics(context.metrics).cacheErrors })
      const topics = new Set<string>(declaredTopics(config.topics).map(topic => topic.name))
      const lag = createKafkaLagReader(kafkaConnection(config), { topics: name => topics.has(name) })
      const server = await createApiServer({
        settings: config.api,
        db,
        cache,
        live: context.live(),
        metrics: context.metrics,
        health: context.health,
        log,
        lag,
        staticRoot: options.staticRoot ?? fileURLToPath(new URL('../web/dist/', import.meta.url))
      })
      const port = await server.listen(config.api.host, config.api.port)
      log.info(
        { url: `http://${config.api.host}:${port}/api`, docs: `http://${config.api.host}:${port}/api/docs` },
        'API listening'
      )
      return {
        async stop() {
          await server.close()
          await Promise.all([cache.close(), lag.close()])
        }
      }
    }
  }
}
