/**
 * Runs a role in this process against the test infrastructure, with its own bus, database pool,
 * health, metrics registry and in-memory live events: several instances of a role can run side by
 * side (two members of one consumer group), each stopped on its own.
 */
import { Registry } from 'prom-client'
import { InstrumentedBus } from '../../src/bus/instrumented-bus.ts'
import type { Bus } from '../../src/bus/bus.ts'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { kafkaConnection } from '../../src/bus/kafka/kafka-options.ts'
import { type Config, configFromEnv } from '../../src/config/config.ts'
import type { LiveEvent } from '../../src/live-events/live-events.ts'
import { MemoryLiveEvents } from '../../src/live-events/memory-live-events.ts'
import { createLogger, silentLogger } from '../../src/log/logger.ts'
import { Health } from '../../src/ops/health.ts'
import type { Role, RunningRole } from '../../src/role/role.ts'
import { PostgresDatabase } from '../../src/store/postgres/postgres-database.ts'
import { testKafka } from './kafka.ts'

export interface HostedRole {
  readonly config: Config
  readonly bus: Bus
  readonly health: Health
  readonly metrics: Registry
  readonly liveEvents: LiveEvent[]
  stop(): Promise<void>
}

export async function hostRole(
  role: Role,
  options: { databaseUrl: string; env?: Record<string, string>; servers?: readonly string[] }
): Promise<HostedRole> {
  const config = configFromEnv({
    KAFKA_SERVERS: (options.servers ?? testKafka.servers).join(','),
    DATABASE_URL: options.databaseUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    // One member of the group per hosted role, unless the test asks for partition workers.
    ANALYTICS_WORKERS: '1',
    ...options.env
  })
  const log = config.log.level === 'silent' ? silentLogger() : createLogger(config, role.name)
  const metrics = new Registry()
  // Instrumented as src/runtime/run-roles.ts does it, so the process's metrics are a real process's.
  const bus = new InstrumentedBus(
    new KafkaBus({ ...kafkaConnection(config), clientId: `test-${role.name}` }, log),
    metrics,
    { lagPollIntervalMs: config.ops.lagPollIntervalMs, log }
  )
  const db = new PostgresDatabase({ url: options.databaseUrl, log, poolSize: 4 })
  const live = new MemoryLiveEvents()
  const liveEvents: LiveEvent[] = []
  await live.subscribe(event => {
    if (liveEvents.length < 10_000) liveEvents.push(event)
  })
  const health = new Health()
  const controller = new AbortController()
  let running: RunningRole
  try {
    running = await role.start({
      config,
      log,
      bus,
      health,
      metrics,
      database: async () => db,
      live: () => live,
      signal: controller.signal
    })
  } catch (error) {
    await bus.close()
    await db.close()
    throw error
  }
  return {
    config,
    bus,
    health,
    metrics,
    liveEvents,
    async stop() {
      controller.abort()
      await running.stop()
      await bus.close()
      await live.close()
      await db.close()
    }
  }
}

/** Publishes in chunks (a produce request has a size limit). */
export async function publishAll(
  bus: Bus,
  records: readonly { topic: string; key: string; value: string }[],
  chunk = 2_000
): Promise<void> {
  for (let i = 0; i < records.length; i += chunk) await bus.publish(records.slice(i, i + chunk))
}
