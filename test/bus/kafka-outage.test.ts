import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConsumedRecord } from '../../src/bus/bus.ts'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { isCryptoVizError } from '../../src/errors/errors.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { createTopics, testKafka } from '../helpers/kafka.ts'
import { uniqueName } from '../helpers/names.ts'
import { kafkaFaultProxy } from '../helpers/tcp-proxy.ts'
import { waitFor } from '../helpers/wait.ts'

test('with the broker cut off, publish fails with a retryable error; after it returns, the same bus publishes and consumes again', async () => {
  const [topic] = await createTopics(1, 'outage')
  assert.ok(topic)
  const proxy = await kafkaFaultProxy()
  const bus = new KafkaBus({ servers: proxy.servers, clientId: 'outage' }, silentLogger())
  const received: ConsumedRecord[] = []
  try {
    await bus.publish([{ topic, key: 'k', value: 'before' }])
    await proxy.cut()
    await assert.rejects(bus.publish([{ topic, key: 'k', value: 'during' }]), (error: unknown) => {
      assert.ok(isCryptoVizError(error, 'CV_ERR_BUS_PUBLISH'))
      assert.equal(error.retryable, true)
      return true
    })
    await proxy.restore()
    await waitFor(
      'publish to succeed after the broker returned',
      async () =>
        bus.publish([{ topic, key: 'k', value: 'after' }]).then(
          () => true,
          () => false
        ),
      30_000,
      500
    )
    const subscription = await bus.subscribe({
      groupId: uniqueName('g-outage'),
      topics: [topic],
      handler: async batch => {
        received.push(...batch)
      }
    })
    await waitFor('records', () => received.some(r => r.value.toString() === 'after'), 60_000)
    await subscription.close()
    assert.ok(received.some(r => r.value.toString() === 'before'))
  } finally {
    await bus.close()
    await proxy.close()
  }
})

test('the fault listener really routes through the proxy (a cut client cannot reach the broker)', async () => {
  const [topic] = await createTopics(1, 'route')
  assert.ok(topic)
  const proxy = await kafkaFaultProxy()
  try {
    await proxy.cut()
    const bus = new KafkaBus({ servers: proxy.servers, clientId: 'route' }, silentLogger())
    await assert.rejects(bus.publish([{ topic, key: 'k', value: 'x' }]))
    await bus.close()
    // and the shared broker itself is unaffected
    const direct = new KafkaBus(testKafka, silentLogger())
    await direct.publish([{ topic, key: 'k', value: 'x' }])
    await direct.close()
  } finally {
    await proxy.close()
  }
})
