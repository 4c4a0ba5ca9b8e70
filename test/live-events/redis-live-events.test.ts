import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { LiveEvent } from '../../src/live-events/live-events.ts'
import { RedisLiveEvents } from '../../src/live-events/redis-live-events.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'
import { waitFor } from '../helpers/wait.ts'

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

function trade(key: string): LiveEvent {
  return { channel: 'trades', key, data: { price: '1.0' }, storedAt: new Date().toISOString() }
}

test('an event published by one writer reaches every subscriber, as two API instances would', async () => {
  const writer = new RedisLiveEvents(redisUrl, silentLogger())
  const apiA = new RedisLiveEvents(redisUrl, silentLogger())
  const apiB = new RedisLiveEvents(redisUrl, silentLogger())
  const seenA: LiveEvent[] = []
  const seenB: LiveEvent[] = []
  try {
    await apiA.subscribe(event => seenA.push(event))
    await apiB.subscribe(event => seenB.push(event))
    const key = `TEST${Date.now()}/USD`
    await writer.publish([trade(key), { ...trade(key), channel: 'alerts' }])
    await waitFor(
      'both instances to receive both events',
      () => seenA.filter(e => e.key === key).length === 2 && seenB.filter(e => e.key === key).length === 2
    )
    assert.deepEqual(
      seenA
        .filter(e => e.key === key)
        .map(e => e.channel)
        .sort(),
      ['alerts', 'trades']
    )
  } finally {
    await Promise.all([writer.close(), apiA.close(), apiB.close()])
  }
})

test('events stay within their key prefix: a deployment with another prefix does not hear them', async () => {
  const prefix = `deploy${Date.now()}`
  const writer = new RedisLiveEvents(redisUrl, silentLogger(), { keyPrefix: prefix })
  const same = new RedisLiveEvents(redisUrl, silentLogger(), { keyPrefix: prefix })
  const other = new RedisLiveEvents(redisUrl, silentLogger())
  const defaultWriter = new RedisLiveEvents(redisUrl, silentLogger())
  const seenSame: LiveEvent[] = []
  const seenOther: LiveEvent[] = []
  try {
    await same.subscribe(event => seenSame.push(event))
    await other.subscribe(event => seenOther.push(event))
    const key = `PREFIX${Date.now()}/USD`
    await writer.publish([trade(key)])
    await waitFor('the same-prefix subscriber to hear the event', () => seenSame.some(e => e.key === key))
    // Redis delivers to a subscriber in publish order: once this later event is heard, the first
    // one would have been heard already had it crossed the prefixes.
    await defaultWriter.publish([trade(`${key}-default`)])
    await waitFor('the default-prefix subscriber to hear its own event', () =>
      seenOther.some(e => e.key === `${key}-default`)
    )
    assert.equal(seenOther.filter(e => e.key === key).length, 0, 'nothing crossed the prefixes')
  } finally {
    await Promise.all([writer.close(), same.close(), other.close(), defaultWriter.close()])
  }
})

test('with Redis away, publish fails fast instead of queueing, and a subscriber hears events again after it returns', async () => {
  const proxy = await startTcpProxy({ targetPort: Number(new URL(redisUrl).port || 6379) })
  const viaProxy = `redis://127.0.0.1:${proxy.port}`
  const writer = new RedisLiveEvents(redisUrl, silentLogger())
  const cutWriter = new RedisLiveEvents(viaProxy, silentLogger())
  const api = new RedisLiveEvents(viaProxy, silentLogger())
  const seen: LiveEvent[] = []
  try {
    await api.subscribe(event => seen.push(event))
    await cutWriter.publish([trade('warmup')])
    await proxy.cut()
    // Rejected while Redis is still away (the proxy is restored only after): it did not queue.
    await assert.rejects(cutWriter.publish([trade('lost')]))
    await proxy.restore()
    const key = `BACK${Date.now()}/USD`
    await waitFor(
      'the resubscribed instance to hear a new event',
      async () => {
        await writer.publish([trade(key)])
        return seen.some(e => e.key === key)
      },
      60_000,
      300
    )
  } finally {
    await Promise.all([writer.close(), cutWriter.close(), api.close()])
    await proxy.close()
  }
})
