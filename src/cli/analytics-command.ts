/** `crypto-viz analytics`: run the analytics role (candles, indicators, sentiment, alerts) until stopped. */
import { analyticsRole } from '../jobs/analytics/analytics-role.ts'
import { sizedArgv } from '../jobs/analytics/workers/main-heap.ts'
import { runRoles } from '../runtime/run-roles.ts'
import type { Command } from './command.ts'

/** Set on the restart below: it happens once, and the restarted process says that it did. */
const RESTARTED = 'CRYPTO_VIZ_ANALYTICS_HEAP_FLAGS'

export const analyticsCommand: Command = {
  name: 'analytics',
  summary: 'compute candles, indicators, spreads, sentiment and alerts (consumer group ANALYTICS_GROUP_ID)',
  run: context => {
    // The main thread is a member of the group too and needs a worker's heap, which only Node's
    // flags at start give it (workers/main-heap.ts): without them the process becomes itself again
    // with them, same pid, same environment, before it opens anything.
    const argv =
      process.env[RESTARTED] === undefined ? sizedArgv(context.config.analytics, process) : undefined
    if (argv !== undefined && typeof process.execve === 'function') {
      process.execve(process.execPath, argv, { ...process.env, [RESTARTED]: '1' })
    }
    if (process.env[RESTARTED] !== undefined)
      context.log.info(
        { execArgv: process.execArgv },
        'analytics started with the main thread heap sized for a member of the group'
      )
    return runRoles(context, [analyticsRole])
  }
}
