/** Alerts, newest first by event time, filtered by symbol, kind and severity, paged by (time, id). */
import type { Queryable } from '../database.ts'
import { newestFirst } from './newest-first.ts'
import { type Before, type Page, Params, type TimeRange, toPage } from './params.ts'
import type { Severity } from '../../contract/vocabulary.ts'

export interface AlertRow {
  id: string
  rule: string
  kind: string
  symbol: string
  severity: Severity
  title: string
  message: string
  value: number
  threshold: number
  eventTs: string
  raisedAt: string
  details: Record<string, unknown>
}

export interface AlertQuery extends TimeRange {
  symbol?: string | undefined
  kind?: string | undefined
  severity?: string | undefined
  limit: number
  before?: Before | undefined
}

export async function listAlerts(db: Queryable, query: AlertQuery): Promise<Page<AlertRow>> {
  const params = new Params()
  const filters: string[] = []
  if (query.symbol !== undefined) filters.push(`symbol = ${params.add(query.symbol)}`)
  if (query.kind !== undefined) filters.push(`kind = ${params.add(query.kind)}`)
  if (query.severity !== undefined) filters.push(`severity = ${params.add(query.severity)}`)
  const window = newestFirst(params, { time: 'event_ts', id: 'id' }, query)
  const { rows } = await db.query<AlertRow>(
    `select id, rule, kind, symbol, severity, title, message, value, threshold,
            event_ts as "eventTs", raised_at as "raisedAt", details
       from alerts
      where true${filters.map(f => ` and ${f}`).join('')}${window.where}
      ${window.tail}`,
    params.values
  )
  return toPage(rows, query.limit)
}
