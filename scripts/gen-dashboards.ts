/**
 * Writes the Grafana dashboards (infra/grafana/dashboards/*.json) from their descriptions here:
 * `npm run dashboards`. Every query names metrics from docs/metrics.md (a test checks it, and that
 * the committed files are what this script writes).
 */
import { writeFileSync } from 'node:fs'
import { api } from './dashboards/api.ts'
import { database } from './dashboards/database.ts'
import { kafkaLag } from './dashboards/kafka-lag.ts'
import { overview } from './dashboards/overview.ts'
import { producers } from './dashboards/producers.ts'
import { type DashboardSpec, dashboardJson } from './lib/dashboard-kit.ts'

export const dashboards: DashboardSpec[] = [overview, kafkaLag, producers, database, api]

const files: Record<string, string> = {
  'cryptoviz-overview': 'pipeline-overview.json',
  'cryptoviz-kafka': 'kafka-lag.json',
  'cryptoviz-producers': 'producers.json',
  'cryptoviz-database': 'database.json',
  'cryptoviz-api': 'api.json'
}

export function dashboardFiles(): Map<string, string> {
  return new Map(
    dashboards.map(d => [files[d.uid] ?? `${d.uid}.json`, `${JSON.stringify(dashboardJson(d), null, 2)}\n`])
  )
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [file, text] of dashboardFiles())
    writeFileSync(new URL(`../infra/grafana/dashboards/${file}`, import.meta.url), text)
}
