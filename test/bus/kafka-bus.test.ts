import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import type { ConsumedRecord } from '../../src/bus/bus.ts'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { partitionForKey } from '../../src/bus/partitioner.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { createTopics, testKafka } from '../helpers/kafka.ts'
import { uniqueName } from '../helpers/names.ts'
import { waitFor } from '../helpers/wait.ts'

const bus = new KafkaBus(testKafka, silentLogger())
after(() => bus.close())

test('a keyed record is consumed by the group from the partition its key maps to, in order per key', async () => {
  const [topic] = await createTopics(3, 'keyed')
  assert.ok(topic)
  const keys = ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD']
  await bus.publish(
    keys.flatMap(key => [1, 2, 3].map(n => ({ topic, key, value: JSON.stringify({ key, n }) })))
  )

  const received: ConsumedRecord[] = []
  const subscription = await bus.subscribe({
    groupId: uniqueName('g-keyed'),
    topics: [topic],
    handler: async batch => {
      received.push(...batch)
    }
  })
  try {
    await waitFor('12 records', () => received.length >= 12)
    for (const record of received) {
      assert.equal(record.partition, partitionForKey(record.key ?? '', 3), `partition of ${record.key}`)
    }
    for (const key of keys) {
      const ns = received
        .filter(r => r.key === key)
        .map(r => (JSON.parse(r.value.toString()) as { n: number }).n)
      assert.deepEqual(ns, [1, 2, 3], `order of ${key}`)
    }
    assert.equal(subscription.assignments().length, 3)
  } finally {
    await subscription.close()
  }
})

test('a handler that throws gets the same records again: redelivery, not loss', async () => {
  const [topic] = await createTopics(1, 'retry')
  assert.ok(topic)
  await bus.publish([1, 2, 3, 4, 5].map(n => ({ topic, key: 'k', value: String(n) })))
  const seen: string[] = []
  let failures = 0
  const subscription = await bus.subscribe({
    groupId: uniqueName('g-retry'),
    topics: [topic],
    retryBackoffMs: { min: 20, max: 50 },
    handler: async batch => {
      if (failures < 2) {
        failures++
        throw new Error('database unavailable')
      }
      seen.push(...batch.map(r => r.value.toString()))
    }
  })
  try {
    await waitFor('all five records after two failures', () => seen.length >= 5)
    assert.equal(failures, 2)
    assert.deepEqual(seen, ['1', '2', '3', '4', '5'])
  } finally {
    await subscription.close()
  }
})

test('offsets are committed only after the handler succeeds', async () => {
  const [topic] = await createTopics(1, 'commit')
  assert.ok(topic)
  const groupId = uniqueName('g-commit')
  await bus.publish(['a', 'b'].map(value => ({ topic, key: 'k', value })))

  // First member: its handler never succeeds, then it leaves. Nothing may be committed.
  let attempts = 0
  const failing = await bus.subscribe({
    groupId,
    topics: [topic],
    retryBackoffMs: { min: 20, max: 50 },
    handler: async () => {
      attempts++
      throw new Error('always fails')
    }
  })
  await waitFor('a failed attempt', () => attempts >= 1)
  await failing.close()

  // Second member of the same group: receives both records again, then commits them.
  const secondRun: string[] = []
  const succeeding = await bus.subscribe({
    groupId,
    topics: [topic],
    handler: async batch => {
      secondRun.push(...batch.map(r => r.value.toString()))
    }
  })
  await waitFor('redelivered records', () => secondRun.length >= 2)
  await succeeding.close()
  assert.deepEqual(secondRun, ['a', 'b'])

  // Third member: everything was committed, so only new records arrive.
  await bus.publish([{ topic, key: 'k', value: 'c' }])
  const thirdRun: string[] = []
  const third = await bus.subscribe({
    groupId,
    topics: [topic],
    handler: async batch => {
      thirdRun.push(...batch.map(r => r.value.toString()))
    }
  })
  try {
    await waitFor('the new record', () => thirdRun.length >= 1)
    assert.deepEqual(thirdRun, ['c'])
  } finally {
    await third.close()
  }
})

test('headers travel with the record', async () => {
  const [topic] = await createTopics(1, 'headers')
  assert.ok(topic)
  await bus.publish([
    { topic, key: 'k', value: '{}', headers: { 'x-origin': 'rawtrade/2/41', reason: 'bad price' } }
  ])
  const received: ConsumedRecord[] = []
  const subscription = await bus.subscribe({
    groupId: uniqueName('g-headers'),
    topics: [topic],
    handler: async batch => {
      received.push(...batch)
    }
  })
  try {
    const [record] = await waitFor('the record', () => (received.length > 0 ? received : undefined))
    assert.deepEqual(record?.headers, { 'x-origin': 'rawtrade/2/41', reason: 'bad price' })
  } finally {
    await subscription.close()
  }
})
