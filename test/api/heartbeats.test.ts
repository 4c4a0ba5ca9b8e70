import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HeartbeatBook } from '../../src/api/pipeline/heartbeats.ts'
import { stageStatus } from '../../src/api/pipeline/pipeline-status.ts'
import type { LiveEvent } from '../../src/live-events/live-events.ts'
import { heartbeat } from '../helpers/heartbeats.ts'

/** Every instance started at 14:00; `recordsHandled` is the counter throughput is derived from. */
function beat(sentAt: number, recordsHandled: number, role = 'ingest'): LiveEvent {
  return heartbeat(
    role,
    sentAt,
    {
      ingest: { status: 'up', data: { recordsHandled, newestEventAgeSeconds: 2 } },
      bus: { status: 'up' }
    },
    Date.parse('2026-11-25T14:00:00Z')
  )
}

test('throughput comes from the records counter between heartbeats, and the last event from its age', () => {
  const book = new HeartbeatBook()
  const t0 = Date.parse('2026-11-25T14:00:00Z')
  book.record(beat(t0, 1_000), t0)
  book.record(beat(t0 + 5_000, 3_500), t0 + 5_000)
  const [instance] = book.instances(t0 + 6_000)
  assert.equal(instance?.recordsPerSec, 500)
  const stage = stageStatus('ingest', book.instances(t0 + 6_000), null)
  assert.equal(stage.status, 'up')
  assert.equal(stage.throughputPerSec, 500)
  assert.equal(stage.lastEventAt, '2026-11-25T14:00:03.000Z')
})

test('an instance silent for more than three intervals is down, and its stage with it', () => {
  const book = new HeartbeatBook()
  const t0 = Date.now()
  book.record(beat(t0, 10, 'produce+ingest'), t0)
  assert.equal(stageStatus('produce', book.instances(t0 + 14_000), null).status, 'up')
  const later = book.instances(t0 + 16_000)
  assert.equal(later[0]?.status, 'down')
  assert.equal(stageStatus('produce', later, null).status, 'down')
  assert.equal(
    stageStatus('ingest', later, null).throughputPerSec,
    null,
    'a down instance contributes no throughput'
  )
})

test('events that are not heartbeats are ignored, and long-gone instances forgotten', () => {
  const book = new HeartbeatBook({ forgetAfterMs: 60_000 })
  book.record({ channel: 'pipeline', key: 'x', storedAt: '', data: { hello: 1 } })
  book.record({ channel: 'trades', key: 'x', storedAt: '', data: beat(0, 1).data })
  assert.deepEqual(book.instances(), [])
  const t0 = Date.now()
  book.record(beat(t0, 1), t0)
  assert.equal(book.instances(t0 + 59_000).length, 1)
  assert.equal(book.instances(t0 + 61_000).length, 0)
})
