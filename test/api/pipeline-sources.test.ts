import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLagReader } from '../../src/api/pipeline/consumer-lag.ts'
import { HeartbeatBook } from '../../src/api/pipeline/heartbeats.ts'
import { sourcesStatus } from '../../src/api/pipeline/pipeline-status.ts'
import type { CheckResult } from '../../src/ops/health.ts'
import { openBus, tempDir, topic } from '../helpers/embedded.ts'
import { heartbeat } from '../helpers/heartbeats.ts'
import { waitFor } from '../helpers/wait.ts'

const unreachable: CheckResult = {
  status: 'down',
  data: { mode: 'live', connection: { state: 'unreachable', detail: 'getaddrinfo ENOTFOUND ws.kraken.com' } }
}

test('a producer that cannot reach Kraken still speaks through its heartbeat: sources carry the state and a banner notice', () => {
  const book = new HeartbeatBook()
  const t0 = Date.now()
  book.record(heartbeat('produce', t0, { kraken: unreachable }), t0)
  book.record(heartbeat('api', t0, { database: { status: 'up' } }), t0)
  const sources = sourcesStatus(book.instances(t0 + 1_000))
  assert.equal(sources.mode, 'live')
  assert.deepEqual(sources.kraken, { state: 'unreachable', detail: 'getaddrinfo ENOTFOUND ws.kraken.com' })
  assert.match(
    sources.notice ?? '',
    /^Kraken is unreachable \(getaddrinfo ENOTFOUND ws\.kraken\.com\).*--replay/
  )
})

test('a producer that went silent says nothing any more, and replayed input is named without a notice', () => {
  const book = new HeartbeatBook()
  const t0 = Date.now()
  book.record(heartbeat('produce', t0, { kraken: unreachable }), t0)
  assert.deepEqual(sourcesStatus(book.instances(t0 + 60_000)), {
    mode: null,
    kraken: null,
    news: null,
    notice: null
  })
  const replaying: CheckResult = {
    status: 'up',
    data: { mode: 'replay', connection: { state: 'connected', detail: '12 streams live' } }
  }
  book.record(heartbeat('produce', t0 + 61_000, { kraken: replaying }), t0 + 61_000)
  const sources = sourcesStatus(book.instances(t0 + 62_000))
  assert.equal(sources.mode, 'replay')
  assert.equal(sources.notice, null)
})

test('consumer lag on the embedded bus counts the partitions each group committed on', async () => {
  const bus = await openBus(await tempDir(), [topic('t1', 2), topic('t2')])
  try {
    await bus.publish([
      { topic: 't1', key: 'a', value: '1' },
      { topic: 't1', key: 'a', value: '2' },
      { topic: 't2', key: 'b', value: '3' }
    ])
    const read = createLagReader(bus.inspector, { topics: ['t1', 't2'] })
    assert.deepEqual(await read(), [], 'nothing committed yet: no lag to show')
    let handled = 0
    const subscription = await bus.subscribe({
      groupId: 'g',
      topics: ['t2'],
      handler: async batch => {
        handled += batch.length
      }
    })
    await waitFor('one record handled', () => handled >= 1)
    await subscription.close()
    await bus.publish([{ topic: 't2', key: 'b', value: '4' }])
    const [group, ...others] = await read()
    assert.equal(others.length, 0)
    assert.equal(group?.groupId, 'g')
    assert.equal(group?.totalLag, 1)
    assert.deepEqual(
      group?.partitions.map(p => [p.topic, p.committedOffset, p.endOffset, p.lag]),
      [['t2', 1, 2, 1]],
      'only the topic the group reads'
    )
  } finally {
    await bus.close()
  }
})
