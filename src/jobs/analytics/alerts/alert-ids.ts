/**
 * Alert identity, deduplication and rate limit in one: an alert's id is its rule, its symbol and the
 * event-time window (of ALERT_COOLDOWN_MINUTES, aligned to the epoch) it fired in. At most one alert
 * per rule and symbol per window is published (the gate), and one that fires again after a restart
 * or a rebalance has the same id, which the ingest job stores once. A draft with its own `key` (a
 * whale trade: its trade id) is identified by that instead of the window.
 */
import { microsToIso } from '../../../lib/event-time.ts'
import type { AlertV1 } from '../../../schemas/alert.v1.ts'
import type { AlertDraft } from './rules.ts'

export function alertWindowStart(eventTs: number, cooldownMicros: number): number {
  return Math.floor(eventTs / cooldownMicros) * cooldownMicros
}

export function alertId(rule: string, symbol: string, eventTs: number, cooldownMicros: number): string {
  const window = new Date(alertWindowStart(eventTs, cooldownMicros) / 1000)
    .toISOString()
    .replace('.000Z', 'Z')
  return `${rule}:${symbol}:${window}`
}

export function toAlert(draft: AlertDraft, cooldownMicros: number, raisedAt: string): AlertV1 {
  return {
    v: 1,
    type: 'alert',
    id:
      draft.key === undefined
        ? alertId(draft.rule, draft.symbol, draft.eventTs, cooldownMicros)
        : `${draft.rule}:${draft.symbol}:${draft.key}`,
    rule: draft.rule,
    kind: draft.kind,
    symbol: draft.symbol,
    severity: draft.severity,
    title: draft.title,
    message: draft.message,
    value: draft.value,
    threshold: draft.threshold,
    eventTs: microsToIso(draft.eventTs),
    raisedAt,
    details: draft.details
  }
}

/** Ids the gate remembers at most. */
export const ALERT_GATE_CAPACITY = 10_000

/**
 * Remembers the ids already published (for two windows of event time), so a rule that keeps firing
 * in the same window publishes once. Ids are remembered only after the batch that published them
 * committed: a batch that is retried publishes its alerts again (same ids, stored once).
 *
 * At most ALERT_GATE_CAPACITY ids: when full, those older than two windows go, and if a flood of
 * alerts (whale trades) still fills it, the earliest remembered go until a quarter is free. An id
 * forgotten early can only be published again, with the same id, which its readers store once.
 */
export class AlertGate {
  readonly #cooldownMicros: number
  readonly #seen = new Map<string, number>()

  constructor(cooldownMicros: number) {
    this.#cooldownMicros = cooldownMicros
  }

  get size(): number {
    return this.#seen.size
  }

  has(id: string): boolean {
    return this.#seen.has(id)
  }

  remember(id: string, eventTs: number): void {
    this.#seen.set(id, eventTs)
    if (this.#seen.size > ALERT_GATE_CAPACITY) this.#forget(eventTs - 2 * this.#cooldownMicros)
  }

  #forget(horizon: number): void {
    for (const [id, ts] of this.#seen) if (ts < horizon) this.#seen.delete(id)
    const keep = (ALERT_GATE_CAPACITY * 3) / 4
    for (const id of this.#seen.keys()) {
      if (this.#seen.size <= keep) break
      this.#seen.delete(id)
    }
  }
}
