/**
 * A small kit for Grafana dashboards as code: panels laid out on the 24-column grid in rows of
 * equal width, every query against the one provisioned Prometheus datasource (uid `prometheus`).
 * scripts/gen-dashboards.ts describes the dashboards with it; the JSON it writes is what Grafana
 * provisions (infra/grafana/dashboards/).
 */
export const DATASOURCE = { type: 'prometheus', uid: 'prometheus' } as const

export interface Query {
  expr: string
  legend?: string
}

export interface PanelSpec {
  title: string
  description?: string
  kind?: 'timeseries' | 'stat'
  unit?: string
  queries: readonly Query[]
  /** Stacked areas (throughput by topic) rather than lines. */
  stacked?: boolean
  /** For stats: thresholds green → red above this value (or below, with `lowIsBad`). */
  redAbove?: number
  lowIsBad?: boolean
}

export interface DashboardSpec {
  uid: string
  title: string
  description: string
  /** Rows of panels; each row is split evenly across the width. */
  rows: readonly (readonly PanelSpec[])[]
}

function thresholds(panel: PanelSpec) {
  if (panel.redAbove === undefined) return { mode: 'absolute', steps: [{ color: 'green', value: null }] }
  return panel.lowIsBad === true
    ? {
        mode: 'absolute',
        steps: [
          { color: 'red', value: null },
          { color: 'green', value: panel.redAbove }
        ]
      }
    : {
        mode: 'absolute',
        steps: [
          { color: 'green', value: null },
          { color: 'red', value: panel.redAbove }
        ]
      }
}

function panelJson(panel: PanelSpec, id: number, gridPos: { x: number; y: number; w: number; h: number }) {
  const kind = panel.kind ?? 'timeseries'
  return {
    id,
    type: kind,
    title: panel.title,
    ...(panel.description === undefined ? {} : { description: panel.description }),
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: {
      defaults: {
        unit: panel.unit ?? 'short',
        thresholds: thresholds(panel),
        ...(kind === 'timeseries'
          ? {
              custom: {
                drawStyle: 'line',
                lineWidth: 1,
                fillOpacity: panel.stacked === true ? 40 : 10,
                stacking: { mode: panel.stacked === true ? 'normal' : 'none', group: 'A' },
                showPoints: 'never'
              }
            }
          : { color: { mode: 'thresholds' } })
      },
      overrides: []
    },
    options:
      kind === 'timeseries'
        ? { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi', sort: 'desc' } }
        : { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background' },
    targets: panel.queries.map((query, index) => ({
      refId: String.fromCharCode(65 + index),
      datasource: DATASOURCE,
      expr: query.expr,
      legendFormat: query.legend ?? '__auto',
      range: true
    }))
  }
}

export function dashboardJson(spec: DashboardSpec): Record<string, unknown> {
  const panels: ReturnType<typeof panelJson>[] = []
  let y = 0
  for (const row of spec.rows) {
    const stats = row.every(p => p.kind === 'stat')
    const h = stats ? 4 : 8
    const w = Math.floor(24 / row.length)
    row.forEach((panel, i) => panels.push(panelJson(panel, panels.length + 1, { x: i * w, y, w, h })))
    y += h
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['crypto-viz'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: true,
    refresh: '10s',
    time: { from: 'now-30m', to: 'now' },
    links: [{ type: 'dashboards', tags: ['crypto-viz'], asDropdown: true, title: 'CRYPTO VIZ' }],
    templating: { list: [] },
    annotations: { list: [] },
    panels
  }
}
