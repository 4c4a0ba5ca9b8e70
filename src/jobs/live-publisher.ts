/**
 * Fire-and-forget announcements after a commit: the data is already durable, so a live publish
 * never delays or fails a batch. At most a few publishes are in flight; beyond that an announcement
 * is dropped (and counted) rather than queued without bound while Redis is slow or away.
 */
import type { Counter } from 'prom-client'
import { describeError } from '../errors/errors.ts'
import type { LiveEvent, LiveEvents } from '../live-events/live-events.ts'
import type { Logger } from '../log/logger.ts'

const MAX_IN_FLIGHT = 4

export class LivePublisher {
  readonly #live: () => LiveEvents
  readonly #failures: Counter
  readonly #log: Logger
  #inFlight = 0
  #lastWarning = 0

  constructor(live: () => LiveEvents, failures: Counter, log: Logger) {
    this.#live = live
    this.#failures = failures
    this.#log = log
  }

  announce(events: readonly LiveEvent[]): void {
    if (events.length === 0) return
    if (this.#inFlight >= MAX_IN_FLIGHT) {
      this.#failed(events.length, 'too many live publishes in flight; dropped')
      return
    }
    this.#inFlight++
    let publishing: Promise<void>
    try {
      publishing = this.#live().publish(events)
    } catch (error) {
      publishing = Promise.reject(error)
    }
    publishing
      .catch(error => this.#failed(events.length, describeError(error)))
      .finally(() => this.#inFlight--)
  }

  #failed(count: number, reason: string): void {
    this.#failures.inc(count)
    // One line per 10 s at most: a Redis outage must not flood the log.
    if (Date.now() - this.#lastWarning > 10_000) {
      this.#lastWarning = Date.now()
      this.#log.warn({ events: count, reason }, 'live events not published (data is stored)')
    }
  }
}
