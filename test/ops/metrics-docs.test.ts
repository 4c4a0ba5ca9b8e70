import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { analyticsMetrics } from '../../src/jobs/analytics/analytics-metrics.ts'
import { workerPoolMetrics } from '../../src/jobs/analytics/workers/worker-pool.ts'
import { ingestMetrics } from '../../src/jobs/ingest/ingest-metrics.ts'
import { createProducerMetrics } from '../../src/sources/producer-metrics.ts'

test('every ingest and analytics metric is documented in docs/metrics.md, and nothing more', async () => {
  const registry = new Registry()
  ingestMetrics(registry)
  analyticsMetrics(registry)
  workerPoolMetrics(registry)
  const registered = (await registry.getMetricsAsJSON()).map(m => m.name).sort()
  const documented = [
    ...readFileSync('docs/metrics.md', 'utf8').matchAll(/^\| `(cryptoviz_(?:ingest|analytics)_[a-z_]+)` \|/gm)
  ]
    .map(m => m[1])
    .sort()
  assert.deepEqual(documented, registered)
})

test('every article reader metric of the producer is documented in docs/metrics.md, and nothing more', async () => {
  const registry = new Registry()
  createProducerMetrics(registry)
  const registered = (await registry.getMetricsAsJSON())
    .map(m => m.name)
    .filter(name => name.startsWith('cryptoviz_producer_article_'))
    .sort()
  const documented = [
    ...readFileSync('docs/metrics.md', 'utf8').matchAll(/^\| `(cryptoviz_producer_article_[a-z_]+)` \|/gm)
  ]
    .map(m => m[1])
    .sort()
  assert.deepEqual(documented, registered)
})
