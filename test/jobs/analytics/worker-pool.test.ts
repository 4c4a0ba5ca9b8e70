import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configFromEnv } from '../../../src/config/config.ts'
import { jobTopics } from '../../../src/jobs/job-topics.ts'
import { WorkerPool } from '../../../src/jobs/analytics/workers/worker-pool.ts'
import { MemoryLiveEvents } from '../../../src/live-events/memory-live-events.ts'
import { silentLogger } from '../../../src/log/logger.ts'
import { createMetricsRegistry } from '../../../src/ops/metrics.ts'
import { waitFor } from '../../helpers/wait.ts'

test('a partition worker that dies while running is counted and keeps the role down with its reason, and the others stop cleanly', async () => {
  const config = configFromEnv({})
  const metrics = createMetricsRegistry()
  const live = new MemoryLiveEvents()
  const pool = new WorkerPool({
    setups: [1, 2].map(index => ({ index, config, topics: jobTopics(), groupId: 'g' })),
    log: silentLogger(),
    metrics,
    live: () => live,
    entry: new URL('../../fixtures/workers/dies-after-start.ts', import.meta.url)
  })
  await pool.start()
  try {
    await waitFor('worker 2 reported dead', () => pool.check().status === 'down')
    const check = pool.check()
    assert.match(check.detail ?? '', /worker 1: consuming/)
    assert.match(check.detail ?? '', /worker 2: died: .*the job threw outside a batch.*restart the process/)
    const text = await metrics.metrics()
    assert.match(text, /^cryptoviz_analytics_worker_deaths_total 1$/m)
    // The dead worker has no metrics to give; the living one still answers.
    assert.equal((await pool.collectMetrics()).length, 1)
  } finally {
    await pool.stop()
    await live.close()
  }
})
