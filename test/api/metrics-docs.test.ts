import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { apiMetrics } from '../../src/api/metrics.ts'
import { Registry } from '../../src/ops/metrics.ts'

test('every API metric is documented in docs/metrics.md, and nothing undocumented is listed', async () => {
  const registry = new Registry()
  apiMetrics(registry)
  const registered = registry
    .getMetricsAsArray()
    .map(metric => metric.name)
    .sort()
  const documented = [
    ...readFileSync('docs/metrics.md', 'utf8').matchAll(/^\| `(cryptoviz_api_[a-z_]+)` \|/gm)
  ]
    .map(m => m[1])
    .sort()
  assert.deepEqual(documented, registered)
})
