/**
 * Which adapter each port uses, decided in one place.
 *
 * - `all` (every role in one process, `npm start`): each piece comes from the full stack exactly when
 *   its variable is set, and is embedded otherwise. KAFKA_SERVERS → Kafka, else the embedded log
 *   (BUS overrides); DATABASE_URL → PostgreSQL, else PGlite in DATA_DIR/embedded/pg; REDIS_URL →
 *   Redis for the cache and live events, else both in memory. So a fresh machine with only Node runs
 *   everything embedded, and setting the three variables switches the same command to the full stack.
 * - One role per process (`ingest`, `api`, …): the processes must share the database and the live
 *   events, which in-process adapters cannot do, so these always use PostgreSQL and Redis (their
 *   defaults point at localhost), as they always did. The bus follows BUS as before.
 */
import { join } from 'node:path'
import { busKind, embeddedBusDir } from '../bus/create-bus.ts'
import type { Config } from '../config/config.ts'
import type { LiveEvents } from '../live-events/live-events.ts'
import { MemoryLiveEvents } from '../live-events/memory-live-events.ts'
import { RedisLiveEvents } from '../live-events/redis-live-events.ts'
import type { Logger } from '../log/logger.ts'
import { redactUrl } from '../lib/redact-url.ts'

export interface Mode {
  readonly bus: 'kafka' | 'embedded'
  readonly database: 'postgres' | 'pglite'
  readonly cache: 'redis' | 'memory'
  readonly live: 'redis' | 'memory'
}

type ModeConfig = Pick<Config, 'bus' | 'kafka' | 'database' | 'redis'>

/** For `all`: the full-stack piece where its variable is set, the embedded one otherwise. */
export function resolveMode(config: ModeConfig): Mode {
  const redis = config.redis.configured ? 'redis' : 'memory'
  return {
    bus: busKind(config),
    database: config.database.configured ? 'postgres' : 'pglite',
    cache: redis,
    live: redis
  }
}

/** For one role per process: shared services, whatever is set (see the file comment). */
export function serviceMode(config: ModeConfig): Mode {
  return { bus: busKind(config), database: 'postgres', cache: 'redis', live: 'redis' }
}

/** "embedded", "full stack", or the mix spelled out ("Kafka + PGlite + memory cache"). */
export function describeMode(mode: Mode): string {
  const embedded = [mode.bus === 'embedded', mode.database === 'pglite', mode.cache === 'memory']
  if (embedded.every(Boolean)) return 'embedded'
  if (!embedded.some(Boolean)) return 'full stack'
  return [
    mode.bus === 'kafka' ? 'Kafka' : 'embedded bus',
    mode.database === 'postgres' ? 'PostgreSQL' : 'PGlite',
    mode.cache === 'redis' ? 'Redis' : 'memory cache'
  ].join(' + ')
}

/** True when the mode keeps state in DATA_DIR that only one process may open at a time. */
export function ownsDataDir(mode: Mode): boolean {
  return mode.bus === 'embedded' || mode.database === 'pglite'
}

export function embeddedDatabaseDir(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'embedded', 'pg')
}

/** Where each piece lives, for messages: a folder for embedded pieces, an address otherwise. */
export function locations(
  mode: Mode,
  config: Pick<Config, 'dataDir' | 'kafka' | 'database' | 'redis'>
): { bus: string; database: string; cache: string } {
  return {
    bus: mode.bus === 'embedded' ? embeddedBusDir(config) : config.kafka.servers.join(','),
    database: mode.database === 'pglite' ? embeddedDatabaseDir(config) : redactUrl(config.database.url),
    cache: mode.cache === 'memory' ? 'in memory' : redactUrl(config.redis.url)
  }
}

export function createLiveEvents(mode: Mode, config: Pick<Config, 'redis'>, log: Logger): LiveEvents {
  return mode.live === 'redis'
    ? new RedisLiveEvents(config.redis.url, log, { keyPrefix: config.redis.keyPrefix })
    : new MemoryLiveEvents()
}
