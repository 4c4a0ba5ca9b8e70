import assert from 'node:assert/strict'
import { test } from 'node:test'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { createTopics, testKafka } from '../helpers/kafka.ts'
import { uniqueName } from '../helpers/names.ts'
import { waitFor } from '../helpers/wait.ts'

test('a consumer that joined before the records existed keeps consuming while they are produced', async () => {
  const [topic] = await createTopics(3, 'live-consume')
  assert.ok(topic)
  const bus = new KafkaBus(testKafka, silentLogger())
  let received = 0
  const subscription = await bus.subscribe({
    groupId: uniqueName('g-live'),
    topics: [topic],
    maxBatchRecords: 500,
    handler: async batch => {
      received += batch.length
      // A handler that waits on a server round trip, as a database write does: the client's
      // buffer can run dry between batches while nobody is reading.
      await bus.inspector.partitionOffsets([topic])
    }
  })
  try {
    await waitFor('the assignment', () => subscription.assignments().length === 3, 60_000)
    for (let chunk = 0; chunk < 10; chunk++) {
      await bus.publish(
        Array.from({ length: 2_000 }, (_, i) => ({ topic, key: `k${i % 12}`, value: 'x'.repeat(100) }))
      )
    }
    await waitFor('all 20,000 records', () => received === 20_000, 60_000)
  } finally {
    await subscription.close()
    await bus.close()
  }
})
