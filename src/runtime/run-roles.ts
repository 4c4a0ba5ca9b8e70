/**
 * Runs one or more roles in this process until asked to stop: opens the shared bus, serves health and
 * metrics, starts the roles in order, and on SIGINT/SIGTERM stops them in reverse order so in-flight
 * batches are finished and committed before the bus closes. The mode (mode.ts) decides which
 * database and live-events adapters the roles share; progress is told to `onEvent` as it happens.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createBus } from '../bus/create-bus.ts'
import { InstrumentedBus } from '../bus/instrumented-bus.ts'
import type { Config } from '../config/config.ts'
import type { Logger } from '../log/logger.ts'
import { describeError } from '../errors/errors.ts'
import { Health } from '../ops/health.ts'
import { createMetricsRegistry } from '../ops/metrics.ts'
import { startOpsServer } from '../ops/ops-server.ts'
import type { LiveEvents } from '../live-events/live-events.ts'
import type { Database } from '../store/database.ts'
import { InstrumentedDatabase } from '../store/instrumented-database.ts'
import { openDatabase } from '../store/open-database.ts'
import { startHeartbeat } from '../role/heartbeat.ts'
import { type Mode, createLiveEvents, embeddedDatabaseDir, locations, serviceMode } from './mode.ts'
import type { Role, RunningRole } from '../role/role.ts'
import type { RuntimeListener } from './runtime-events.ts'

export interface RunRolesOptions {
  /** Told the ops endpoint's port once it listens (OPS_PORT=0 picks a free one). */
  onOpsServer?: (port: number) => void
  /** Which adapters the roles share; default: the services of one role per process (serviceMode). */
  mode?: Mode
  /** Told what starts, what it waits for, and how it stops (the terminal view of `all`). */
  onEvent?: RuntimeListener
}

/** What running roles needs of the command that runs them (a CommandContext is one). */
export interface RunContext {
  config: Config
  log: Logger
  /** Aborted on SIGINT/SIGTERM: the roles then stop gracefully. */
  signal: AbortSignal
}

export async function runRoles(
  context: RunContext,
  roles: readonly Role[],
  options: RunRolesOptions = {}
): Promise<number> {
  const { config, log, signal } = context
  const mode = options.mode ?? serviceMode(config)
  const where = locations(mode, config)
  const tell: RuntimeListener = event => {
    try {
      options.onEvent?.(event)
    } catch (error) {
      log.warn({ err: describeError(error), event: event.type }, 'runtime listener failed')
    }
  }
  const names = roles.map(r => r.name).join('+')
  const metrics = createMetricsRegistry({ role: names })
  const health = new Health()
  const ops = await startOpsServer({ host: config.ops.host, port: config.ops.port, health, metrics })
  const opsUrl = `http://${config.ops.host}:${ops.port}/health/ready`
  log.info({ url: opsUrl }, 'health and metrics served')
  tell({ type: 'ops-listening', url: opsUrl })
  options.onOpsServer?.(ops.port)
  let busReady = false
  health.register('bus', () =>
    busReady
      ? { status: 'up' }
      : {
          status: 'down',
          detail:
            mode.bus === 'kafka'
              ? `waiting for Kafka at ${where.bus}`
              : `opening the embedded bus in ${where.bus}`
        }
  )
  tell({ type: 'bus-opening', kind: mode.bus, where: where.bus })
  const opened = await createBus(config, log).catch(async (error: unknown) => {
    await ops.close()
    throw error
  })
  // Wrapped once here, so every role's traffic, lag and database latency are measured alike.
  const bus = new InstrumentedBus(opened, metrics, { lagPollIntervalMs: config.ops.lagPollIntervalMs, log })
  busReady = true
  tell({ type: 'bus-ready', kind: mode.bus, where: where.bus })
  let database: Promise<Database> | undefined
  const openSharedDatabase = (): Promise<Database> => {
    database ??= (async () => {
      const dir = embeddedDatabaseDir(config)
      const creating = mode.database === 'pglite' && !existsSync(join(dir, 'PG_VERSION'))
      tell({ type: 'database-opening', kind: mode.database, where: where.database, creating })
      const opened = await openDatabase(config, log, {
        applicationName: `crypto-viz-${names}`,
        ...(mode.database === 'pglite' ? { embeddedDir: dir } : {})
      })
      tell({
        type: 'database-ready',
        kind: mode.database,
        where: where.database,
        applied: opened.migrations.applied,
        timescale: opened.timescale.reason
      })
      return new InstrumentedDatabase(opened.db, metrics)
    })()
    return database
  }
  let live: LiveEvents | undefined
  const sharedLive = (): LiveEvents => (live ??= createLiveEvents(mode, config, log))
  const running: { name: string; handle: RunningRole }[] = []
  // Not ready until every role has started: a bus that answers is not yet a consumer that consumes.
  health.register('roles', () =>
    running.length === roles.length
      ? { status: 'up', detail: `${names} started` }
      : { status: 'down', detail: `starting: ${running.length} of ${roles.length} role(s) up` }
  )
  let exitCode = 0
  try {
    for (const role of roles) {
      if (signal.aborted) break
      log.info({ role: role.name }, 'starting role')
      tell({ type: 'role-starting', role: role.name })
      const handle = await role.start({
        config,
        log: log.child({ role: role.name }),
        bus,
        health: roles.length > 1 ? health.forRole(role.name) : health,
        metrics,
        database: openSharedDatabase,
        live: sharedLive,
        signal
      })
      running.push({ name: role.name, handle })
      log.info({ role: role.name }, 'role started')
      tell({ type: 'role-started', role: role.name })
    }
    // One heartbeat per role, each with that role's checks: the pipeline status then shows every
    // stage as it is, even when several run in this process.
    const heartbeats = running.map(({ name }) =>
      startHeartbeat({
        role: name,
        health: roles.length > 1 ? health.forRole(name) : health,
        live: sharedLive,
        log
      })
    )
    signal.addEventListener('abort', () => heartbeats.forEach(h => h.stop()), { once: true })
    if (!signal.aborted) {
      tell({ type: 'running', bus, health })
      await new Promise<void>(resolve => signal.addEventListener('abort', () => resolve(), { once: true }))
    }
  } catch (error) {
    log.error({ err: describeError(error) }, 'a role failed to start; stopping the others')
    tell({ type: 'start-failed', error })
    exitCode = 1
  } finally {
    tell({ type: 'stopping' })
    for (const { name, handle } of running.reverse()) {
      await handle
        .stop()
        .catch(error => log.error({ role: name, err: describeError(error) }, 'role did not stop cleanly'))
      log.info({ role: name }, 'role stopped')
      tell({ type: 'role-stopped', role: name })
    }
    await bus.close()
    await live?.close()
    if (database !== undefined) await (await database.catch(() => undefined))?.close()
    await ops.close()
    tell({ type: 'stopped', exitCode })
  }
  return exitCode
}
