/** Pipeline heartbeats as src/runtime/heartbeat.ts publishes them, for the API's pipeline status tests. */
import type { LiveEvent } from '../../src/live-events/live-events.ts'
import type { CheckResult } from '../../src/ops/health.ts'

/** `role`'s heartbeat sent at `sentAt` (ms) with these checks, all critical: down when one of them is. */
export function heartbeat(
  role: string,
  sentAt: number,
  checks: Record<string, CheckResult>,
  startedAt = sentAt
): LiveEvent {
  const iso = new Date(sentAt).toISOString()
  const status = Object.values(checks).some(c => c.status === 'down') ? 'down' : 'up'
  return {
    channel: 'pipeline',
    key: `${role}@host:1`,
    storedAt: iso,
    data: {
      role,
      instance: 'host:1',
      startedAt: new Date(startedAt).toISOString(),
      sentAt: iso,
      intervalMs: 5_000,
      health: {
        status,
        checks: Object.fromEntries(
          Object.entries(checks).map(([name, c]) => [name, { ...c, critical: true }])
        )
      }
    }
  }
}
