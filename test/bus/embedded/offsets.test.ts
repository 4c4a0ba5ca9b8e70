import assert from 'node:assert/strict'
import { appendFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { OffsetStore } from '../../../src/bus/embedded/offset-store.ts'
import { silentLogger } from '../../../src/log/logger.ts'
import { openBus, tempDir, topic } from '../../helpers/embedded.ts'
import { waitFor } from '../../helpers/wait.ts'

test('committed offsets survive a restart, and a torn last commit in the offsets file is ignored', async () => {
  const dir = await tempDir()
  const first = await openBus(dir, [topic('t', 2)])
  await first.publish(['a', 'b', 'c'].map((value, n) => ({ topic: 't', key: `k${n}`, value })))
  const seen: string[] = []
  const member = await first.subscribe({
    groupId: 'ingest',
    topics: ['t'],
    handler: async batch => {
      seen.push(...batch.map(r => r.value.toString()))
    }
  })
  await waitFor('three records', () => seen.length === 3)
  await member.close()
  const committed = (await first.inspector.groupOffsets('ingest', ['t'])).map(o => o.committed)
  await first.close()
  await appendFile(join(dir, 'offsets.log'), Buffer.from([0, 0, 0, 30, 9, 9, 9]))

  const second = await openBus(dir, [topic('t', 2)])
  try {
    const after = await second.inspector.groupOffsets('ingest', ['t'])
    assert.deepEqual(
      after.map(o => o.committed),
      committed
    )
    assert.ok(
      after.every(o => o.lag === 0n),
      'nothing left to read'
    )
    await second.publish([{ topic: 't', key: 'k9', value: 'd' }])
    const resumed: string[] = []
    const again = await second.subscribe({
      groupId: 'ingest',
      topics: ['t'],
      handler: async batch => {
        resumed.push(...batch.map(r => r.value.toString()))
      }
    })
    await waitFor('the new record', () => resumed.length >= 1)
    await again.close()
    assert.deepEqual(resumed, ['d'])
  } finally {
    await second.close()
  }
})

test('the offsets file is rewritten as a snapshot once it passes its size threshold, keeping each group’s latest offsets', async () => {
  const dir = await tempDir()
  const store = await OffsetStore.open(dir, silentLogger(), { compactAfterBytes: 600 })
  for (let n = 1; n <= 100; n++) {
    await store.commit('ingest', [{ topic: 'rawtrade', partition: n % 3, offset: BigInt(n) }])
    await store.commit('analytics', [{ topic: 'rawticker', partition: 0, offset: BigInt(n * 2) }])
  }
  assert.ok(store.bytes <= 600, `${store.bytes} bytes after compaction`)
  assert.equal((await stat(join(dir, 'offsets.log'))).size, store.bytes)
  await store.close()
  const reopened = await OffsetStore.open(dir, silentLogger())
  try {
    assert.deepEqual(
      [0, 1, 2].map(p => reopened.committed('ingest', 'rawtrade', p)),
      [99n, 100n, 98n]
    )
    assert.equal(reopened.committed('analytics', 'rawticker', 0), 200n)
    assert.equal(reopened.committed('analytics', 'rawtrade', 0), undefined)
  } finally {
    await reopened.close()
  }
})
