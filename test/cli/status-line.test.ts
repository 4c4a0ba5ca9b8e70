import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BusInspector, GroupPartitionOffsets, PartitionOffsets } from '../../src/bus/bus.ts'
import {
  type StatusSnapshot,
  formatRate,
  formatUptime,
  renderStatusLine
} from '../../src/cli/console/status-line.ts'
import { StatusSampler } from '../../src/cli/console/status-sampler.ts'
import { Health } from '../../src/ops/health.ts'

const snapshot: StatusSnapshot = {
  mode: 'replay',
  topics: [
    { label: 'trades', perSec: 14.2, total: 900 },
    { label: 'tickers', perSec: 6, total: 400 },
    { label: 'articles', perSec: 0.05, total: 22 }
  ],
  kraken: { state: 'connected', detail: '12 streams live' },
  news: { state: 'unreachable', detail: '8/8 feeds failing' },
  lag: 12_345,
  uptimeMs: 125_000
}

test('the status line shows the mode, events per second per topic, connections, lag and uptime', () => {
  assert.equal(
    renderStatusLine(snapshot, { width: 200 }),
    '▶ replay │ trades 14/s  tickers 6.0/s  articles 3.0/min │ Kraken ●  news ✗ unreachable │ lag 12.3k │ up 2m05s'
  )
})

test('on a narrow terminal whole segments drop from the right, so the line never wraps', () => {
  const line = renderStatusLine(snapshot, { width: 60 })
  assert.equal(line, '▶ replay │ trades 14/s  tickers 6.0/s  articles 3.0/min')
  assert.ok([...line].length <= 60)
})

test('colours are applied only through the given painter, never counted in the width', () => {
  const painted = renderStatusLine(snapshot, { width: 200, paint: (code, text) => `<${code}>${text}</>` })
  assert.match(painted, /<35>▶ replay<\/>/)
  assert.match(painted, /Kraken <32>●<\/>/)
  assert.match(painted, /news <31>✗<\/><31> unreachable<\/>/)
  assert.equal(painted.replace(/<\/?\d*;?\d*>/g, ''), renderStatusLine(snapshot, { width: 200 }))
})

test('live mode is a green filled mark while Kraken is connected, and a yellow hollow one while it is not', () => {
  const paint = (code: string, text: string): string => `<${code}>${text}</>`
  const live = { ...snapshot, mode: 'live' as const }
  assert.match(renderStatusLine(live, { width: 200, paint }), /^<32>● live<\/>/)
  for (const state of ['unreachable', 'reconnecting', 'connecting'] as const) {
    const offline = renderStatusLine(
      { ...live, kraken: { state, detail: 'getaddrinfo ENOTFOUND ws.kraken.com' } },
      { width: 200, paint }
    )
    assert.match(offline, /^<33>○ live<\/>/, state)
  }
})

test('rates and durations are short: per minute below one a second, hours past the hour', () => {
  assert.deepEqual([0, 0.02, 0.5, 3.25, 42.4, 12_500].map(formatRate), [
    '0/s',
    '1.2/min',
    '30/min',
    '3.3/s',
    '42/s',
    '12.5k/s'
  ])
  assert.deepEqual([9_000, 61_000, 3_725_000].map(formatUptime), ['9s', '1m01s', '1h02m'])
})

/** An inspector over counters the test moves by hand. */
function fakeInspector(ends: Map<string, number>, committed: Map<string, number>): BusInspector {
  const offsets = (topics: readonly string[]): PartitionOffsets[] =>
    topics.map(topic => ({ topic, partition: 0, start: 0n, end: BigInt(ends.get(topic) ?? 0) }))
  const groupOffsets = (group: string, topics: readonly string[]): GroupPartitionOffsets[] =>
    offsets(topics).map(p => {
      const at = committed.get(`${group}/${p.topic}`)
      return {
        ...p,
        committed: at === undefined ? undefined : BigInt(at),
        lag: at === undefined ? p.end : p.end - BigInt(at)
      }
    })
  return {
    partitionOffsets: async topics => offsets(topics),
    groupOffsets: async (group, topics) => groupOffsets(group, topics),
    consumerGroups: async topics =>
      [...new Set([...committed.keys()].map(key => key.split('/')[0] ?? ''))].map(groupId => ({
        groupId,
        state: 'Stable',
        partitions: groupOffsets(groupId, topics).filter(p => p.committed !== undefined)
      }))
  }
}

test('the sampler turns end offsets into rates over its window and sums the committed lag', async () => {
  const ends = new Map([['rawtrade', 100]])
  const committed = new Map<string, number>()
  let now = 0
  const health = new Health()
  health.register('kraken', () => ({
    status: 'down',
    data: {
      mode: 'live',
      connection: { state: 'unreachable', detail: 'getaddrinfo ENOTFOUND ws.kraken.com' }
    }
  }))
  const sampler = new StatusSampler({
    inspector: fakeInspector(ends, committed),
    health,
    topics: [
      { topic: 'rawtrade', label: 'trades' },
      { topic: 'rawbook', label: 'books', optional: true }
    ],
    groups: ['ingest'],
    now: () => now
  })
  const first = await sampler.sample()
  assert.equal(first.snapshot.topics[0]?.perSec, 0, 'no rate from a single sample')
  assert.equal(first.snapshot.lag, null, 'no lag before the first commit')
  now = 2_000
  ends.set('rawtrade', 130)
  committed.set('ingest/rawtrade', 125)
  const second = await sampler.sample()
  assert.deepEqual(second.snapshot.topics, [{ label: 'trades', perSec: 15, total: 130 }])
  assert.equal(second.snapshot.lag, 5)
  assert.equal(second.snapshot.mode, 'live')
  assert.equal(second.sources.kraken?.state, 'unreachable')
  assert.match(second.sources.notice ?? '', /Kraken is unreachable \(getaddrinfo ENOTFOUND ws\.kraken\.com\)/)
  now = 4_000
  ends.set('rawbook', 3)
  const third = await sampler.sample()
  assert.deepEqual(
    third.snapshot.topics.map(t => t.label),
    ['trades', 'books'],
    'an optional topic shows once it has records'
  )
})
