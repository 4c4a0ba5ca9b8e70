import assert from 'node:assert/strict'
import { test } from 'node:test'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { createTopics, testKafka } from '../helpers/kafka.ts'
import { uniqueName } from '../helpers/names.ts'
import { waitFor } from '../helpers/wait.ts'

test('a member keeps receiving while producers keep writing (not just the records there when it joined)', async () => {
  const [topic] = await createTopics(1, 'live')
  assert.ok(topic)
  const producer = new KafkaBus(testKafka, silentLogger())
  const consumer = new KafkaBus(testKafka, silentLogger())
  let sent = 0
  // A publish still in flight when the test closes the producer rejects: that is the close, not a failure.
  const writer = setInterval(
    () => void producer.publish([{ topic, key: 'k', value: String(sent++) }]).catch(() => undefined),
    10
  )
  const seen: number[] = []
  try {
    await waitFor('some records written', () => sent > 20)
    const subscription = await consumer.subscribe({
      groupId: uniqueName('g-live'),
      topics: [topic],
      handler: async batch => {
        seen.push(...batch.map(r => Number(r.value.toString())))
      }
    })
    const target = sent + 100
    await waitFor(
      `records written after joining (up to ${target})`,
      () => seen.at(-1) !== undefined && (seen.at(-1) ?? 0) >= target,
      20_000
    )
    await subscription.close()
  } finally {
    clearInterval(writer)
    await producer.close()
    await consumer.close()
  }
})
