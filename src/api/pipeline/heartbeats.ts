/**
 * The latest heartbeat of every process, as heard on the `pipeline` live channel (runtime/heartbeat.ts),
 * kept in memory by each API instance. An instance is down when its last heartbeat is older than
 * `missedIntervals` of its own interval; entries silent for much longer are forgotten, so a process
 * that went away for good does not linger forever.
 */
import type { LiveEvent } from '../../live-events/live-events.ts'
import type { HealthReport } from '../../ops/health.ts'
import type { Heartbeat } from '../../role/heartbeat.ts'

export interface InstanceState {
  role: string
  instance: string
  startedAt: string
  lastHeartbeatAt: string
  status: 'up' | 'degraded' | 'down'
  /** No heartbeat for several intervals: the process is gone or stuck (then also `down`). */
  silent: boolean
  health: HealthReport
  /** Records per second between the last two heartbeats, from the checks' `recordsHandled` counters. */
  recordsPerSec: number | null
}

/** The sum of the cumulative `recordsHandled` counters a process's checks report (jobs' BatchHealth). */
function recordsHandled(health: HealthReport): number | undefined {
  let total: number | undefined
  for (const check of Object.values(health.checks)) {
    const value = check.data?.recordsHandled
    if (typeof value === 'number') total = (total ?? 0) + value
  }
  return total
}

interface Entry {
  heartbeat: Heartbeat
  heardAt: number
  records: number | undefined
  recordsPerSec: number | null
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
  readonly #entries = new Map<string, Entry>()
  readonly #missedIntervals: number
  readonly #forgetAfterMs: number

  constructor(options: { missedIntervals?: number; forgetAfterMs?: number } = {}) {
    this.#missedIntervals = options.missedIntervals ?? 3
    this.#forgetAfterMs = options.forgetAfterMs ?? 3_600_000
  }

  /** Records a `pipeline` event; ignores anything that is not a heartbeat. */
  record(event: LiveEvent, now = Date.now()): void {
    if (event.channel !== 'pipeline' || !isHeartbeat(event.data)) return
    const id = `${event.data.role}@${event.data.instance}`
    const previous = this.#entries.get(id)
    const records = recordsHandled(event.data.health)
    const seconds =
      previous === undefined
        ? 0
        : (Date.parse(event.data.sentAt) - Date.parse(previous.heartbeat.sentAt)) / 1000
    const rate =
      previous?.records !== undefined && records !== undefined && seconds > 0 && records >= previous.records
        ? (records - previous.records) / seconds
        : null
    this.#entries.set(id, {
      heartbeat: event.data,
      heardAt: now,
      records,
      recordsPerSec: rate ?? previous?.recordsPerSec ?? null
    })
  }

  /** Every known instance, down ones included, by role then instance. */
  instances(now = Date.now()): InstanceState[] {
    const states: InstanceState[] = []
    for (const [id, { heartbeat, heardAt, recordsPerSec }] of this.#entries) {
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
        silent: down,
        health: heartbeat.health,
        recordsPerSec
      })
    }
    return states.sort((a, b) => a.role.localeCompare(b.role) || a.instance.localeCompare(b.instance))
  }
}
