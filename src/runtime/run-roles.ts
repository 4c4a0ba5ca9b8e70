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
import type { Role, RunningRole } from './role.ts'

export async function runRoles(context: CommandContext, roles: readonly Role[]): Promise<number> {
  const { config, log, signal } = context
  const names = roles.map(r => r.name).join('+')
  const metrics = createMetricsRegistry({ role: names })
  const health = new Health()
  const ops = await startOpsServer({ host: config.ops.host, port: config.ops.port, health, metrics })
  log.info({ url: `http://${config.ops.host}:${ops.port}/health/ready` }, 'health and metrics served')
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
        signal
      })
      running.push({ name: role.name, handle })
      log.info({ role: role.name }, 'role started')
    }
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
    await ops.close()
  }
  return exitCode
}
