import assert from 'node:assert/strict'
import { test } from 'node:test'
import { KafkaBus } from '../../../src/bus/kafka/kafka-bus.ts'
import { silentLogger } from '../../../src/log/logger.ts'
import { createMetricsRegistry } from '../../../src/ops/metrics.ts'
import { createProducerMetrics } from '../../../src/sources/producer-metrics.ts'
import { BufferedPublisher, type PublishOutcome } from '../../../src/sources/publish/buffered-publisher.ts'
import { consumeCount } from '../../helpers/consume.ts'
import { createTopics, testKafka } from '../../helpers/kafka.ts'
import { kafkaFaultProxy } from '../../helpers/tcp-proxy.ts'
import { waitFor } from '../../helpers/wait.ts'

const metricValue = async (metric: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await metric.get()).values.reduce((sum, v) => sum + v.value, 0)

test('records reach Kafka in order per key, with the extra headers, and each reports published', async () => {
  const [topic] = await createTopics(3, 'pub')
  assert.ok(topic)
  const bus = new KafkaBus(testKafka, silentLogger())
  const metrics = createProducerMetrics(createMetricsRegistry())
  const publisher = new BufferedPublisher({
    bus,
    metrics,
    log: silentLogger(),
    maxRecords: 1000,
    headers: { 'x-source-mode': 'replay' }
  })
  const outcomes: PublishOutcome[] = []
  try {
    for (let n = 0; n < 60; n++) {
      publisher.enqueue({ topic, key: ['BTC/USD', 'ETH/USD', 'SOL/USD'][n % 3] ?? '', value: String(n) }, o =>
        outcomes.push(o)
      )
    }
    assert.ok(await publisher.flush(20_000))
    assert.equal(outcomes.length, 60)
    assert.ok(outcomes.every(o => o === 'published'))
    const records = await consumeCount([topic], 60)
    assert.equal(records.length, 60)
    for (const key of ['BTC/USD', 'ETH/USD', 'SOL/USD']) {
      const values = records.filter(r => r.key === key).map(r => Number(r.value.toString()))
      assert.deepEqual(
        values,
        [...values].sort((a, b) => a - b),
        `order of ${key}`
      )
    }
    assert.equal(records[0]?.headers['x-source-mode'], 'replay')
    assert.equal(await metricValue(metrics.publishedRecords), 60)
  } finally {
    await publisher.close(5_000)
    await bus.close()
  }
})

test('with the broker unreachable, records wait in the buffer and all arrive once it returns; past the bound, drops are counted', async () => {
  const [topic] = await createTopics(1, 'pub-outage')
  assert.ok(topic)
  const proxy = await kafkaFaultProxy()
  const bus = new KafkaBus({ servers: proxy.servers, clientId: 'pub-outage' }, silentLogger())
  const metrics = createProducerMetrics(createMetricsRegistry())
  const publisher = new BufferedPublisher({
    bus,
    metrics,
    log: silentLogger(),
    maxRecords: 300,
    retryBackoffMs: { initialMs: 50, maxMs: 500 }
  })
  const send = (from: number, to: number): number => {
    let accepted = 0
    for (let n = from; n < to; n++) if (publisher.enqueue({ topic, key: 'k', value: String(n) })) accepted++
    return accepted
  }
  try {
    send(0, 50)
    assert.ok(await publisher.flush(20_000), 'first records published before the outage')

    await proxy.cut()
    assert.equal(send(50, 250), 200, 'within the bound everything is accepted')
    await waitFor('publishing to fail', () => publisher.failing, 60_000)
    assert.equal(await metricValue(metrics.busUp), 0)
    await proxy.restore()
    assert.ok(await publisher.flush(30_000), 'the buffer drains once the broker is back')
    assert.equal(await metricValue(metrics.droppedRecords), 0)

    await proxy.cut()
    assert.equal(send(250, 700), 300, 'the bound holds: 300 accepted')
    assert.equal(await metricValue(metrics.droppedRecords), 150, 'and the other 150 counted as dropped')
    assert.equal(publisher.buffered, 300)
    await proxy.restore()
    assert.ok(await publisher.flush(30_000))

    const records = await consumeCount([topic], 550)
    const values = records.map(r => Number(r.value.toString()))
    assert.deepEqual(new Set(values), new Set([...Array(550).keys()]), 'nothing lost within the bound')
    assert.deepEqual(
      values,
      [...values].sort((a, b) => a - b),
      'in order'
    )
  } finally {
    await publisher.close(5_000)
    await bus.close()
    await proxy.close()
  }
})

test('closing with records the bus never took counts them as dropped, never silently', async () => {
  const proxy = await kafkaFaultProxy()
  await proxy.cut()
  const bus = new KafkaBus({ servers: proxy.servers, clientId: 'pub-close' }, silentLogger())
  const metrics = createProducerMetrics(createMetricsRegistry())
  const publisher = new BufferedPublisher({ bus, metrics, log: silentLogger(), maxRecords: 100 })
  const outcomes: PublishOutcome[] = []
  try {
    for (let n = 0; n < 10; n++)
      publisher.enqueue({ topic: 'never', key: 'k', value: 'x' }, o => outcomes.push(o))
    await publisher.close(300)
    assert.deepEqual(outcomes, Array(10).fill('dropped'))
    assert.equal(await metricValue(metrics.droppedRecords), 10)
    assert.equal(publisher.enqueue({ topic: 'never', key: 'k', value: 'late' }), false)
  } finally {
    await bus.close()
    await proxy.close()
  }
})
