import assert from 'node:assert/strict'
import { test } from 'node:test'
import { apiMetrics } from '../../src/api/metrics.ts'
import { createBusMetrics } from '../../src/bus/bus-metrics.ts'
import { analyticsMetrics } from '../../src/jobs/analytics/analytics-metrics.ts'
import { workerPoolMetrics } from '../../src/jobs/analytics/workers/worker-pool.ts'
import { ingestMetrics } from '../../src/jobs/ingest/ingest-metrics.ts'
import { createMetricsRegistry } from '../../src/ops/metrics.ts'
import { createProducerMetrics } from '../../src/sources/producer-metrics.ts'
import type { Database } from '../../src/store/database.ts'
import { InstrumentedDatabase } from '../../src/store/instrumented-database.ts'
import { documentedMetrics } from '../helpers/metrics-doc.ts'

/** Every metric any role registers: the same factories the roles call, on one registry. */
function registeredMetrics(): Map<string, { type: string; labels: string[] }> {
  const registry = createMetricsRegistry({ role: 'test' })
  createProducerMetrics(registry)
  ingestMetrics(registry)
  analyticsMetrics(registry)
  workerPoolMetrics(registry)
  apiMetrics(registry)
  createBusMetrics(registry)
  new InstrumentedDatabase({ kind: 'postgres' } as unknown as Database, registry)
  const out = new Map<string, { type: string; labels: string[] }>()
  for (const metric of registry.getMetricsAsArray()) {
    // prom-client keeps these on the metric object; its public types do not declare them.
    const { name, type, labelNames } = metric as unknown as {
      name: string
      type: string
      labelNames: string[]
    }
    out.set(name, { type, labels: [...labelNames].sort() })
  }
  return out
}

test('docs/metrics.md lists exactly the metrics the roles register, with their types and labels', () => {
  const registered = registeredMetrics()
  const documented = documentedMetrics()
  const ours = [...registered.keys()].filter(
    name => !name.startsWith('cryptoviz_process_') && !name.startsWith('cryptoviz_nodejs_')
  )
  assert.deepEqual([...documented.own.keys()].sort(), ours.sort(), 'names, both ways')
  for (const [name, doc] of documented.own) {
    assert.deepEqual(doc, registered.get(name), `type and labels of ${name}`)
  }
})

test('the process metrics the table lists by prefix are the only other ones registered', () => {
  const others = [...registeredMetrics().keys()].filter(name => !documentedMetrics().own.has(name))
  assert.ok(others.length > 0, 'prom-client default metrics are registered')
  for (const name of others) assert.match(name, /^cryptoviz_(process|nodejs)_/)
})

test('metric names follow the conventions: stage prefix, _total counters, unit-suffixed histograms', () => {
  for (const [name, { type, labels }] of documentedMetrics().own) {
    assert.match(name, /^cryptoviz_(producer|ingest|analytics|api|bus|db)_[a-z0-9_]+$/, name)
    if (type === 'counter') assert.match(name, /_total$/, `${name} is a counter`)
    else assert.doesNotMatch(name, /_total$/, `${name} is a ${type}, not a counter`)
    if (type === 'histogram') assert.match(name, /_(seconds|records)$/, `${name} says its unit`)
    assert.ok(!labels.includes('role'), `${name}: role is a default label on every series`)
    for (const label of labels) assert.match(label, /^[a-z_]+$/)
  }
})
