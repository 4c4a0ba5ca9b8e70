/** Alerts, stored by the ingest job from `rawalert`: the first version of an id wins (ids are deterministic). */
import type { AlertV1 } from '../../schemas/alert.v1.ts'
import type { Queryable } from '../database.ts'

const INSERT = `insert into alerts (id, rule, kind, symbol, severity, title, message, value, threshold,
  event_ts, raised_at, details)
select x.id, x.rule, x.kind, x.symbol, x.severity, x.title, x.message, x.value, x.threshold, x.event_ts,
  x.raised_at, x.details
from jsonb_to_recordset($1::jsonb) as x(id text, rule text, kind text, symbol text, severity text,
  title text, message text, value double precision, threshold double precision, event_ts timestamptz,
  raised_at timestamptz, details jsonb)
on conflict (id) do nothing
returning id`

/** Stores alerts; returns how many were new. */
export async function writeAlerts(q: Queryable, alerts: readonly AlertV1[]): Promise<number> {
  return (await insertAlerts(q, alerts)).length
}

/**
 * Stores alerts; returns the ids stored now, in the order given. An id stored before (an alert
 * published again: same id) is not among them, and neither is the second record of an id given twice.
 */
export async function insertAlerts(q: Queryable, alerts: readonly AlertV1[]): Promise<string[]> {
  if (alerts.length === 0) return []
  const rows = alerts.map(a => ({
    id: a.id,
    rule: a.rule,
    kind: a.kind,
    symbol: a.symbol,
    severity: a.severity,
    title: a.title,
    message: a.message,
    value: a.value,
    threshold: a.threshold,
    event_ts: a.eventTs,
    raised_at: a.raisedAt,
    details: a.details
  }))
  const inserted = new Set(
    (await q.query<{ id: string }>(INSERT, [JSON.stringify(rows)])).rows.map(r => r.id)
  )
  return [...new Set(alerts.map(a => a.id))].filter(id => inserted.has(id))
}
