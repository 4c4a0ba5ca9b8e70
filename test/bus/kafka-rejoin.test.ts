import assert from 'node:assert/strict'
import { test } from 'node:test'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { createTopics, testKafka } from '../helpers/kafka.ts'
import { uniqueName } from '../helpers/names.ts'
import { kafkaFaultProxy } from '../helpers/tcp-proxy.ts'
import { waitFor } from '../helpers/wait.ts'

test('a consumer cut off from the broker for longer than its client retries rejoins and consumes what was published meanwhile', async () => {
  const [topic = ''] = await createTopics(2, 'rejoin')
  const proxy = await kafkaFaultProxy()
  const consumerBus = new KafkaBus({ servers: proxy.servers, clientId: 'rejoin' }, silentLogger())
  const publisher = new KafkaBus(testKafka, silentLogger())
  const seen = new Set<string>()
  try {
    const subscription = await consumerBus.subscribe({
      groupId: uniqueName('g-rejoin'),
      topics: [topic],
      handler: async batch => {
        for (const record of batch) seen.add(record.value.toString())
      }
    })
    await publisher.publish([{ topic, key: 'a', value: 'before' }])
    await waitFor('the first record', () => seen.has('before'), 60_000)
    assert.equal(subscription.assignments().length, 2)
    await proxy.cut()
    // The client's own fetch retries give up and end its stream; the member then drops its
    // assignment and tries to join again with a new client, which cannot succeed while cut off.
    await waitFor(
      'the consumer stream to end for good',
      () => subscription.assignments().length === 0,
      60_000
    )
    await publisher.publish(
      Array.from({ length: 20 }, (_, i) => ({ topic, key: `k${i}`, value: `during-${i}` }))
    )
    await proxy.restore()
    await waitFor('every record published during the cut', () => seen.size === 21, 90_000, 200)
    assert.equal(subscription.assignments().length, 2, 'it rejoined the group and owns both partitions')
    await subscription.close()
    assert.equal(seen.size, 21)
  } finally {
    await Promise.all([consumerBus.close(), publisher.close()])
    await proxy.close()
  }
})
