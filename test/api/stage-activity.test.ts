/**
 * The API and the jobs show what they did on the pipeline view: the API counts the requests it
 * answered and the live events it pushed (not the heartbeats), and a job whose records carry no
 * time of their own still shows when it last finished a batch.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { API_ACTIVITY_CHECK, trackApiActivity } from '../../src/api/pipeline/api-activity.ts'
import { HeartbeatBook } from '../../src/api/pipeline/heartbeats.ts'
import { stageStatus } from '../../src/api/pipeline/pipeline-status.ts'
import { MemoryLiveEvents } from '../../src/live-events/memory-live-events.ts'
import { Health } from '../../src/ops/health.ts'
import { heartbeat } from '../helpers/heartbeats.ts'
import { waitFor } from '../helpers/wait.ts'

test('the API reports the requests it answered and the live events it pushed, not the heartbeats', async () => {
  const server = createServer((_request, response) => response.end('ok'))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const live = new MemoryLiveEvents()
  const health = new Health()
  const activity = await trackApiActivity({ server, live, health })
  const data = (): Record<string, unknown> => health.report().checks[API_ACTIVITY_CHECK]?.data ?? {}
  try {
    assert.equal(data().lastEventAt, null, 'nothing done yet')
    const { port } = server.address() as AddressInfo
    for (let i = 0; i < 3; i++) await (await fetch(`http://127.0.0.1:${port}/`)).text()
    const storedAt = new Date().toISOString()
    await live.publish([
      { channel: 'trades', key: 'BTC/USD', data: [], storedAt },
      { channel: 'pipeline', key: 'ingest@host:1', data: {}, storedAt }
    ])
    await waitFor('the three requests counted', () => data().requests === 3)
    assert.equal(data().liveEvents, 1, 'the heartbeat is not the API’s work')
    assert.equal(data().recordsHandled, 4)
    assert.equal(typeof data().lastEventAt, 'string')
    assert.ok((data().throughputPerSec as number) > 0)
    assert.equal(health.report().checks[API_ACTIVITY_CHECK]?.critical, false)
  } finally {
    await activity.stop()
    server.close()
  }
  assert.equal(health.report().checks[API_ACTIVITY_CHECK], undefined, 'unregistered on stop')
})

test('a job that reports no event time shows its last batch as its last event, before any stored data', () => {
  const book = new HeartbeatBook()
  const sentAt = Date.parse('2026-11-25T14:00:05Z')
  book.record(
    heartbeat('analytics', sentAt, {
      analytics: {
        status: 'up',
        data: { recordsHandled: 10, lastBatchAt: '2026-11-25T14:00:04.500Z', newestEventAgeSeconds: null }
      }
    }),
    sentAt
  )
  const stored = {
    trades: null,
    tickers: null,
    candles: '2026-11-25T13:59:00Z',
    articles: null,
    sentiment: null,
    alerts: null
  }
  assert.equal(
    stageStatus('analytics', book.instances(sentAt), stored).lastEventAt,
    '2026-11-25T14:00:04.500Z'
  )
})
