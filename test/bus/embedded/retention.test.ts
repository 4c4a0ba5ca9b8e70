import assert from 'node:assert/strict'
import { stat } from 'node:fs/promises'
import { test } from 'node:test'
import { openBus, readAll, segmentsOf, tempDir, topic } from '../../helpers/embedded.ts'
import { uniqueName } from '../../helpers/names.ts'
import { waitFor } from '../../helpers/wait.ts'

const value = 'x'.repeat(200)

test('a partition over its size budget loses its oldest segments, and readers start at the oldest kept record', async () => {
  const dir = await tempDir()
  const bus = await openBus(dir, [topic('t')], { segmentBytes: 4_096, retentionBytes: 16_384 })
  try {
    for (let n = 0; n < 40; n++) {
      await bus.publish(
        Array.from({ length: 10 }, (_, i) => ({ topic: 't', key: 'k', value: `${n * 10 + i}:${value}` }))
      )
    }
    assert.ok((await bus.enforceRetention()) > 0, 'segments were deleted')
    const sizes = await Promise.all((await segmentsOf(dir, 't')).map(async path => (await stat(path)).size))
    const total = sizes.reduce((a, b) => a + b, 0)
    assert.ok(total <= 16_384, `${total} bytes kept, budget 16384`)
    const [offsets] = await bus.inspector.partitionOffsets(['t'])
    assert.ok((offsets?.start ?? 0n) > 0n, 'the log start moved')
    assert.equal(offsets?.end, 400n, 'the end is unchanged')
    const records = await readAll(bus, ['t'])
    assert.equal(records[0]?.offset, offsets?.start)
    assert.equal(records.at(-1)?.value.toString().split(':')[0], '399')
  } finally {
    await bus.close()
  }
})

test("records older than the topic's retention are deleted, even in a partition nobody writes to any more, and offsets continue", async () => {
  const dir = await tempDir()
  const retentionMs = 60_000
  const bus = await openBus(dir, [topic('t', 1, retentionMs)])
  try {
    const before = Date.now()
    await bus.publish(Array.from({ length: 5 }, (_, n) => ({ topic: 't', key: 'k', value: String(n) })))
    const after = Date.now()
    // Retention is checked as of chosen moments instead of waiting for the records to age.
    assert.equal(
      await bus.enforceRetention(before + retentionMs),
      0,
      'nothing is older than the retention yet'
    )
    const [kept] = await bus.inspector.partitionOffsets(['t'])
    assert.deepEqual([kept?.start, kept?.end], [0n, 5n])
    assert.ok((await bus.enforceRetention(after + retentionMs + 1)) > 0, 'the aged segment was deleted')
    const [offsets] = await bus.inspector.partitionOffsets(['t'])
    assert.deepEqual([offsets?.start, offsets?.end], [5n, 5n], 'everything expired; the end stays at 5')
    await bus.publish([{ topic: 't', key: 'k', value: 'fresh' }])
    const records = await readAll(bus, ['t'])
    assert.deepEqual(
      records.map(r => [r.offset, r.value.toString()]),
      [[5n, 'fresh']]
    )
  } finally {
    await bus.close()
  }
})

test('a group whose next records were deleted by retention skips to the oldest kept record instead of stalling', async () => {
  const dir = await tempDir()
  const bus = await openBus(dir, [topic('t')], { segmentBytes: 2_048, retentionBytes: 4_096 })
  try {
    const groupId = uniqueName('g-behind')
    await bus.publish([{ topic: 't', key: 'k', value: 'first' }])
    const seen: string[] = []
    const member = await bus.subscribe({
      groupId,
      topics: ['t'],
      handler: async batch => {
        seen.push(...batch.map(r => r.value.toString()))
      }
    })
    await waitFor('the first record', () => seen.length === 1, 60_000)
    await member.close()
    for (let n = 0; n < 60; n++) await bus.publish([{ topic: 't', key: 'k', value: `${n}:${value}` }])
    await bus.enforceRetention()
    const [before] = await bus.inspector.groupOffsets(groupId, ['t'])
    assert.equal(before?.committed, 1n)
    assert.ok((before?.start ?? 0n) > 1n)
    assert.equal(before?.lag, (before?.end ?? 0n) - (before?.start ?? 0n), 'deleted records are not lag')
    const again = await bus.subscribe({
      groupId,
      topics: ['t'],
      handler: async batch => {
        seen.push(...batch.map(r => r.value.toString()))
      }
    })
    await waitFor('the last record', () => seen.at(-1)?.startsWith('59:'), 60_000)
    await again.close()
    assert.ok(!seen.slice(1).some(v => v.startsWith('0:')), 'deleted records were not delivered')
  } finally {
    await bus.close()
  }
})
