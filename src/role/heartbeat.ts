/**
 * Every process announces, every few seconds, the health of the roles it runs on the live-events
 * channel `pipeline`, so the API can show each stage's state (up/down, last event time, throughput,
 * producer connection state) without knowing where the stages run. Best-effort: a missed heartbeat
 * only ages the entry; the API treats entries older than a few intervals as down.
 */
import { hostname } from 'node:os'
import { describeError } from '../errors/errors.ts'
import type { LiveEvents } from '../live-events/live-events.ts'
import type { Logger } from '../log/logger.ts'
import type { Health, HealthReport } from '../ops/health.ts'

export const HEARTBEAT_INTERVAL_MS = 5_000

export interface Heartbeat {
  role: string
  instance: string
  startedAt: string
  sentAt: string
  intervalMs: number
  health: HealthReport
}

export function startHeartbeat(options: {
  role: string
  health: Health
  live: () => LiveEvents
  log: Logger
  intervalMs?: number
}): { stop(): void } {
  const instance = `${hostname()}:${process.pid}`
  const startedAt = new Date().toISOString()
  const intervalMs = options.intervalMs ?? HEARTBEAT_INTERVAL_MS
  const beat = (): void => {
    const heartbeat: Heartbeat = {
      role: options.role,
      instance,
      startedAt,
      sentAt: new Date().toISOString(),
      intervalMs,
      health: options.health.report()
    }
    options
      .live()
      .publish([
        {
          channel: 'pipeline',
          key: `${options.role}@${instance}`,
          data: heartbeat,
          storedAt: heartbeat.sentAt
        }
      ])
      .catch(error => options.log.debug({ err: describeError(error) }, 'heartbeat not delivered'))
  }
  const first = setTimeout(beat, 500)
  const timer = setInterval(beat, intervalMs)
  timer.unref()
  first.unref()
  return {
    stop() {
      clearTimeout(first)
      clearInterval(timer)
    }
  }
}
