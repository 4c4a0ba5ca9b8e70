import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { test } from 'node:test'
import { parse } from 'yaml'
import { dashboardFiles } from '../../scripts/gen-dashboards.ts'
import { createMetricsRegistry } from '../../src/ops/metrics.ts'
import { documentedMetrics } from '../helpers/metrics-doc.ts'
import { parsePromql } from '../helpers/promql.ts'

const DIR = 'infra/grafana/dashboards'

interface Target {
  refId: string
  expr: string
  datasource: { type: string; uid: string }
}
interface Panel {
  id: number
  type: string
  title: string
  datasource: { type: string; uid: string }
  targets: Target[]
}
interface Dashboard {
  uid: string
  title: string
  panels: Panel[]
}

function dashboards(): Map<string, Dashboard> {
  return new Map(
    readdirSync(DIR)
      .filter(f => f.endsWith('.json'))
      .map(file => [file, JSON.parse(readFileSync(`${DIR}/${file}`, 'utf8')) as Dashboard])
  )
}

/** Every name a query may use: our documented metrics (histograms with their series), the broker exporter's, the Node.js defaults really registered, and Prometheus' own `up`. */
function knownMetrics(): Set<string> {
  const { own, broker } = documentedMetrics()
  const known = new Set<string>(['up', ...broker.keys()])
  for (const [name, { type }] of own) {
    known.add(name)
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) known.add(name + suffix)
  }
  for (const metric of createMetricsRegistry().getMetricsAsArray()) {
    known.add(metric.name)
    for (const suffix of ['_bucket', '_sum', '_count']) known.add(metric.name + suffix)
  }
  return known
}

test('the five dashboards the issue names are provisioned, each parsing with a unique uid', () => {
  const all = dashboards()
  assert.deepEqual([...all.keys()].sort(), [
    'api.json',
    'database.json',
    'kafka-lag.json',
    'pipeline-overview.json',
    'producers.json'
  ])
  const uids = [...all.values()].map(d => d.uid)
  assert.equal(new Set(uids).size, uids.length)
})

test('every dashboard query is valid PromQL and names only metrics the roles export (docs/metrics.md) or the broker exporter provides', () => {
  const known = knownMetrics()
  let queries = 0
  for (const [file, dashboard] of dashboards())
    for (const panel of dashboard.panels)
      for (const target of panel.targets) {
        const { metrics: names, errors } = parsePromql(target.expr)
        assert.deepEqual(errors, [], `${file} "${panel.title}": ${target.expr}`)
        assert.ok(names.length > 0, `${file} "${panel.title}" queries some metric`)
        for (const name of names)
          assert.ok(known.has(name), `${file} "${panel.title}": unknown metric ${name} in ${target.expr}`)
        queries++
      }
  assert.ok(queries > 60, `${queries} queries checked`)
})

test('the PromQL check finds the selected metrics, not functions, labels or keywords, and reports broken queries', () => {
  assert.deepEqual(
    parsePromql(
      'histogram_quantile(0.95, sum by (le, topic) (rate(cryptoviz_ingest_latency_seconds_bucket{topic=~"raw.*"}[5m])))'
    ),
    { metrics: ['cryptoviz_ingest_latency_seconds_bucket'], errors: [] }
  )
  assert.deepEqual(parsePromql('time() - max(a_b) / on(group) c_total > 1e3').metrics, ['a_b', 'c_total'])
  for (const broken of ['rate(x_total[5m]', 'sum by (topic (x)', 'a_total +', 'rate(x_total{a="1}[5m])'])
    assert.ok(parsePromql(broken).errors.length > 0, `${broken} is reported`)
})

test('panels and targets all use the provisioned Prometheus datasource, and panel ids are unique per dashboard', () => {
  const provisioned = parse(
    readFileSync('infra/grafana/provisioning/datasources/prometheus.yml', 'utf8')
  ) as {
    datasources: { uid: string; type: string; url: string }[]
  }
  const [datasource] = provisioned.datasources
  assert.equal(datasource?.type, 'prometheus')
  assert.equal(datasource?.url, 'http://prometheus:9090')
  for (const [file, dashboard] of dashboards()) {
    const ids = dashboard.panels.map(p => p.id)
    assert.equal(new Set(ids).size, ids.length, `${file}: unique panel ids`)
    for (const panel of dashboard.panels) {
      assert.equal(panel.datasource.uid, datasource?.uid, `${file} "${panel.title}"`)
      assert.ok(panel.targets.length > 0, `${file} "${panel.title}" has a query`)
      for (const target of panel.targets) assert.equal(target.datasource.uid, datasource?.uid)
      assert.equal(new Set(panel.targets.map(t => t.refId)).size, panel.targets.length)
    }
  }
})

test('the committed dashboards are exactly what `npm run dashboards` generates', () => {
  for (const [file, text] of dashboardFiles())
    assert.equal(readFileSync(`${DIR}/${file}`, 'utf8'), text, file)
})
