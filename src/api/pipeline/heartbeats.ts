/**
 * The latest heartbeat of every process, as heard on the `pipeline` live channel (runtime/heartbeat.ts),
 * kept in memory by each API instance. An instance is down when its last heartbeat is older than
 * `missedIntervals` of its own interval; entries silent for much longer are forgotten, so a process
 * that went away for good does not linger forever.
 */
import type { LiveEvent } from '../../live/live-events.ts'
import type { HealthReport } from '../../ops/health.ts'
import type { Heartbeat } from '../../runtime/heartbeat.ts'

export interface InstanceState {
  role: string
  instance: string
  startedAt: string
  lastHeartbeatAt: string
  status: 'up' | 'degraded' | 'down'
  health: HealthReport
}

function isHeartbeat(value: unknown): value is Heartbeat {
  if (typeof value !== 'object' || value === null) return false
  const h = value as Record<string, unknown>
  return (
    typeof h.role === 'string' &&
    typeof h.instance === 'string' &&
    typeof h.sentAt === 'string' &&
    typeof h.startedAt === 'string' &&
    typeof h.intervalMs === 'number' &&
    typeof h.health === 'object' &&
    h.health !== null
  )
}

export class HeartbeatBook {
  readonly #entries = new Map<string, { heartbeat: Heartbeat; heardAt: number }>()
  readonly #missedIntervals: number
  readonly #forgetAfterMs: number

  constructor(options: { missedIntervals?: number; forgetAfterMs?: number } = {}) {
    this.#missedIntervals = options.missedIntervals ?? 3
    this.#forgetAfterMs = options.forgetAfterMs ?? 3_600_000
  }

  /** Records a `pipeline` event; ignores anything that is not a heartbeat. */
  record(event: LiveEvent, now = Date.now()): void {
    if (event.channel !== 'pipeline' || !isHeartbeat(event.data)) return
    this.#entries.set(`${event.data.role}@${event.data.instance}`, { heartbeat: event.data, heardAt: now })
  }

  /** Every known instance, down ones included, by role then instance. */
  instances(now = Date.now()): InstanceState[] {
    const states: InstanceState[] = []
    for (const [id, { heartbeat, heardAt }] of this.#entries) {
      const silentMs = now - heardAt
      if (silentMs > this.#forgetAfterMs) {
        this.#entries.delete(id)
        continue
      }
      const down = silentMs > heartbeat.intervalMs * this.#missedIntervals
      states.push({
        role: heartbeat.role,
        instance: heartbeat.instance,
        startedAt: heartbeat.startedAt,
        lastHeartbeatAt: heartbeat.sentAt,
        status: down ? 'down' : heartbeat.health.status,
        health: heartbeat.health
      })
    }
    return states.sort((a, b) => a.role.localeCompare(b.role) || a.instance.localeCompare(b.instance))
  }
}
