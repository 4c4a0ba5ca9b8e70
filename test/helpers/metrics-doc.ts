/** Reads the metric tables of docs/metrics.md: our own metrics, and the broker exporter's. */
import { readFileSync } from 'node:fs'

export interface DocumentedMetric {
  type: string
  labels: string[]
}

function rows(section: string): Map<string, DocumentedMetric> {
  const out = new Map<string, DocumentedMetric>()
  for (const match of section.matchAll(/^\| `([a-z_][a-z0-9_]*)` \| ([a-z]+) \|([^|]*)\|/gm)) {
    const [, name = '', type = '', labels = ''] = match
    out.set(name, { type, labels: [...labels.matchAll(/`([a-z_]+)`/g)].map(m => m[1] ?? '').sort() })
  }
  return out
}

export function documentedMetrics(path = 'docs/metrics.md'): {
  own: Map<string, DocumentedMetric>
  broker: Map<string, DocumentedMetric>
} {
  const text = readFileSync(path, 'utf8')
  const [, afterTable = ''] = text.split('\n## The table\n')
  const [own = '', broker = ''] = afterTable.split("\n## The broker's metrics")
  return { own: rows(own), broker: rows(broker) }
}
