import assert from 'node:assert/strict'
import { test } from 'node:test'
import { InstrumentedBus } from '../../src/bus/instrumented-bus.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { Registry } from '../../src/ops/metrics.ts'
import { openBus, tempDir, topic } from '../helpers/embedded.ts'
import { waitFor } from '../helpers/wait.ts'

async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name)
  const { values } = (await metric?.get()) ?? { values: [] }
  const match = values.find(v => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
  return match?.value ?? Number.NaN
}

test('the instrumented bus counts records in and out per topic and reports each partition lag of its groups', async () => {
  const registry = new Registry()
  const inner = await openBus(await tempDir(), [topic('trades', 2), topic('other', 1)])
  const bus = new InstrumentedBus(inner, registry, { lagPollIntervalMs: 0, log: silentLogger() })
  try {
    const records = Array.from({ length: 40 }, (_, i) => ({ topic: 'trades', key: `k${i}`, value: `${i}` }))
    await bus.publish([...records, { topic: 'other', key: 'x', value: 'y' }])
    assert.equal(await value(registry, 'cryptoviz_bus_published_records_total', { topic: 'trades' }), 40)
    assert.equal(await value(registry, 'cryptoviz_bus_published_records_total', { topic: 'other' }), 1)

    // A group whose handler has not finished lags by everything it was given.
    let release = (): void => undefined
    const held = new Promise<void>(resolve => (release = resolve))
    const idle = await bus.subscribe({
      groupId: 'idle',
      topics: ['other'],
      handler: () => held
    })
    let handled = 0
    const busy = await bus.subscribe({
      groupId: 'busy',
      topics: ['trades'],
      handler: async batch => void (handled += batch.length)
    })
    await waitFor('every record handled', () => handled >= 40)
    await waitFor('the commit', async () => {
      await bus.pollLag()
      const lags = await Promise.all(
        ['0', '1'].map(partition =>
          value(registry, 'cryptoviz_bus_consumer_lag_records', { group: 'busy', topic: 'trades', partition })
        )
      )
      return lags.every(lag => lag === 0)
    })
    assert.equal(
      await value(registry, 'cryptoviz_bus_consumed_records_total', { group: 'busy', topic: 'trades' }),
      40
    )
    assert.equal(await value(registry, 'cryptoviz_bus_assigned_partitions', { group: 'busy' }), 2)
    assert.equal(
      await value(registry, 'cryptoviz_bus_consumer_lag_records', {
        group: 'idle',
        topic: 'other',
        partition: '0'
      }),
      1
    )
    release()
    await Promise.all([busy.close(), idle.close()])
  } finally {
    await bus.close()
  }
})

test('a failing batch handler is counted and timed, and its retry succeeds', async () => {
  const registry = new Registry()
  const bus = new InstrumentedBus(await openBus(await tempDir(), [topic('t', 1)]), registry, {
    lagPollIntervalMs: 0,
    log: silentLogger()
  })
  try {
    await bus.publish([{ topic: 't', key: 'a', value: '1' }])
    let calls = 0
    const subscription = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      retryBackoffMs: { min: 10, max: 10 },
      handler: async () => {
        if (++calls === 1) throw new Error('first attempt fails')
      }
    })
    await waitFor('the retry', () => calls >= 2)
    await subscription.close()
    assert.equal(await value(registry, 'cryptoviz_bus_handler_failures_total', { group: 'g' }), 1)
    assert.equal(await value(registry, 'cryptoviz_bus_consumed_records_total', { group: 'g', topic: 't' }), 1)
    // Both attempts were timed, the failed one too.
    assert.match(await registry.metrics(), /^cryptoviz_bus_handler_duration_seconds_count\{group="g"\} 2$/m)
  } finally {
    await bus.close()
  }
})
