import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConsumedRecord } from '../../../src/bus/bus.ts'
import { partitionForKey } from '../../../src/bus/partitioner.ts'
import { openBus, tempDir, topic } from '../../helpers/embedded.ts'
import { waitFor } from '../../helpers/wait.ts'

test('a member whose handler hangs past the rebalance timeout loses the partition being moved, and its late commit there is ignored', async () => {
  const dir = await tempDir()
  const bus = await openBus(dir, [topic('t', 2)], { rebalanceTimeoutMs: 200 })
  let release = (): void => undefined
  try {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f']
    await bus.publish(keys.map(key => ({ topic: 't', key, value: key })))
    const hanging = new Promise<void>(resolve => (release = resolve))
    let aBatches = 0
    const a = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      maxBatchWaitMs: 200,
      handler: async () => {
        if (++aBatches === 1) await hanging
      }
    })
    await waitFor('a to start its batch', () => aBatches === 1)
    const seenByB: ConsumedRecord[] = []
    const b = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handler: async batch => {
        seenByB.push(...batch)
      }
    })
    const [moved] = b.assignments()
    assert.ok(moved, 'b took a partition from a, after the timeout')
    const onMoved = keys.filter(key => partitionForKey(key, 2) === moved.partition)
    await waitFor('b to handle the moved partition from its start', () => seenByB.length === onMoved.length)
    const committedByB = BigInt(onMoved.length)
    await waitFor(
      'b to commit',
      async () => (await bus.inspector.groupOffsets('g', ['t']))[moved.partition]?.committed === committedByB
    )
    await bus.publish([{ topic: 't', key: onMoved[0] ?? '', value: 'later' }])
    await waitFor('b to handle a new record', () => seenByB.length === onMoved.length + 1)
    release()
    await waitFor('a to finish its batch', () => aBatches >= 1)
    await a.close()
    const offsets = await bus.inspector.groupOffsets('g', ['t'])
    assert.equal(
      offsets[moved.partition]?.committed,
      committedByB + 1n,
      "a's late commit did not move b's partition back"
    )
    assert.equal(offsets[1 - moved.partition]?.lag, 0n, 'a committed the partition it kept')
    await b.close()
  } finally {
    release()
    await bus.close()
  }
})

test('a rebalance abandons a batch being retried without committing it, and the new owner handles those records', async () => {
  const dir = await tempDir()
  const bus = await openBus(dir, [topic('t', 2)])
  try {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f']
    await bus.publish(keys.map(key => ({ topic: 't', key, value: key })))
    let failing = true
    const handledByA: ConsumedRecord[] = []
    const handledByB: ConsumedRecord[] = []
    let attempts = 0
    const a = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      retryBackoffMs: { min: 20, max: 40 },
      handler: async batch => {
        attempts++
        if (failing) throw new Error('store down')
        handledByA.push(...batch)
      }
    })
    await waitFor('a failing', () => attempts >= 2)
    const b = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handler: async batch => {
        handledByB.push(...batch)
      }
    })
    const [ownedByB] = b.assignments()
    assert.ok(ownedByB, 'b took one partition')
    failing = false
    await waitFor(
      'every record handled once it could be',
      () => handledByA.length + handledByB.length >= keys.length
    )
    assert.deepEqual(
      [...handledByA, ...handledByB].map(r => r.value.toString()).sort(),
      keys,
      'each record exactly once'
    )
    assert.ok(handledByB.every(r => r.partition === ownedByB.partition))
    assert.ok(handledByA.every(r => r.partition !== ownedByB.partition))
    await Promise.all([a.close(), b.close()])
  } finally {
    await bus.close()
  }
})
