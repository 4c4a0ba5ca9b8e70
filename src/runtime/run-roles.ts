/**
 * Runs one or more roles in this process until asked to stop: opens the shared bus, serves health and
 * metrics, starts the roles in order, and on SIGINT/SIGTERM stops them in reverse order so in-flight
 * batches are finished and committed before the bus closes.
 */
import { busKind, createBus, embeddedBusDir } from '../bus/create-bus.ts'
import type { CommandContext } from '../cli/command.ts'
import { describeError } from '../errors/errors.ts'
import { Health } from '../ops/health.ts'
import { createMetricsRegistry } from '../ops/metrics.ts'
import { startOpsServer } from '../ops/ops-server.ts'
import type { LiveEvents } from '../live/live-events.ts'
import { RedisLiveEvents } from '../live/redis-live-events.ts'
import type { Database } from '../store/database.ts'
import { openDatabase } from '../store/open-database.ts'
import { startHeartbeat } from './heartbeat.ts'
import type { Role, RunningRole } from './role.ts'

export interface RunRolesOptions {
  /** Told the ops endpoint's port once it listens (OPS_PORT=0 picks a free one). */
  onOpsServer?: (port: number) => void
}

export async function runRoles(
  context: CommandContext,
  roles: readonly Role[],
  options: RunRolesOptions = {}
): Promise<number> {
  const { config, log, signal } = context
  const names = roles.map(r => r.name).join('+')
  const metrics = createMetricsRegistry({ role: names })
  const health = new Health()
  const ops = await startOpsServer({ host: config.ops.host, port: config.ops.port, health, metrics })
  log.info({ url: `http://${config.ops.host}:${ops.port}/health/ready` }, 'health and metrics served')
  options.onOpsServer?.(ops.port)
  let busReady = false
  health.register('bus', () =>
    busReady
      ? { status: 'up' }
      : {
          status: 'down',
          detail:
            busKind(config) === 'kafka'
              ? `waiting for Kafka at ${config.kafka.servers.join(',')}`
              : `opening the embedded bus in ${embeddedBusDir(config)}`
        }
  )
  const bus = await createBus(config, log)
  busReady = true
  let database: Promise<Database> | undefined
  const openSharedDatabase = (): Promise<Database> => {
    database ??= openDatabase(config, log, { applicationName: `crypto-viz-${names}` }).then(
      opened => opened.db
    )
    return database
  }
  let live: LiveEvents | undefined
  const sharedLive = (): LiveEvents => (live ??= new RedisLiveEvents(config.redis.url, log))
  const running: { name: string; handle: RunningRole }[] = []
  let exitCode = 0
  try {
    for (const role of roles) {
      if (signal.aborted) break
      log.info({ role: role.name }, 'starting role')
      const handle = await role.start({
        config,
        log: log.child({ role: role.name }),
        bus,
        health,
        metrics,
        database: openSharedDatabase,
        live: sharedLive,
        signal
      })
      running.push({ name: role.name, handle })
      log.info({ role: role.name }, 'role started')
    }
    const heartbeat = startHeartbeat({ role: names, health, live: sharedLive, log })
    signal.addEventListener('abort', () => heartbeat.stop(), { once: true })
    if (!signal.aborted) {
      await new Promise<void>(resolve => signal.addEventListener('abort', () => resolve(), { once: true }))
    }
  } catch (error) {
    log.error({ err: describeError(error) }, 'a role failed to start; stopping the others')
    exitCode = 1
  } finally {
    for (const { name, handle } of running.reverse()) {
      await handle
        .stop()
        .catch(error => log.error({ role: name, err: describeError(error) }, 'role did not stop cleanly'))
      log.info({ role: name }, 'role stopped')
    }
    await bus.close()
    await live?.close()
    if (database !== undefined) await (await database.catch(() => undefined))?.close()
    await ops.close()
  }
  return exitCode
}
