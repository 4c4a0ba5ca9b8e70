/** One contract, run against every cache implementation (Redis and memory). */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Redis } from 'ioredis'
import type { Cache } from '../../src/cache/cache.ts'
import { FailOpenCache } from '../../src/cache/fail-open-cache.ts'
import { MemoryCache } from '../../src/cache/memory-cache.ts'
import { RedisCache } from '../../src/cache/redis-cache.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { Counter, Registry } from '../../src/ops/metrics.ts'
import { testRedisUrl } from '../helpers/api.ts'
import { uniqueName } from '../helpers/names.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'
import { waitFor } from '../helpers/wait.ts'

interface Implementation<C extends Cache> {
  create(): C
  /** Whether the cache can serve yet (Redis fails fast while it connects instead of queueing). */
  ready?(cache: C): boolean
  /** How long, in ms, the store itself still keeps a group: Redis expires the group's hash. */
  storeTtlMs?(group: string): Promise<number>
}

function contract<C extends Cache>(name: string, implementation: Implementation<C>): void {
  describe(name, () => {
    const cache = implementation.create()
    before(() => waitFor('the cache to connect', () => implementation.ready?.(cache) ?? true, 60_000))
    after(() => cache.close())

    test('an entry set is read back until it expires', async t => {
      // Entries expire by the cache's clock (Date): the test moves it instead of waiting for it.
      t.mock.timers.enable({ apis: ['Date'], now: Date.now() })
      const group = uniqueName('g')
      await cache.set(group, 'k', '{"a":1}', 60_000)
      assert.equal((await cache.get(group, 'k'))?.value, '{"a":1}')
      assert.equal(await cache.get(group, 'other'), undefined)
      t.mock.timers.tick(59_999)
      assert.equal((await cache.get(group, 'k'))?.value, '{"a":1}', 'served until its TTL is up')
      t.mock.timers.tick(1)
      assert.equal(await cache.get(group, 'k'), undefined, 'gone once its TTL is up')
      if (implementation.storeTtlMs !== undefined) {
        const ttl = await implementation.storeTtlMs(group)
        assert.ok(ttl > 0 && ttl <= 60_000, `the store drops the group by itself too (PTTL ${ttl})`)
      }
    })

    test('invalidating a group drops all its entries and no other group', async () => {
      const [a, b] = [uniqueName('a'), uniqueName('b')]
      await cache.set(a, 'k1', 'one', 10_000)
      await cache.set(a, 'k2', 'two', 10_000)
      await cache.set(b, 'k1', 'three', 10_000)
      await cache.invalidate([a])
      assert.equal(await cache.get(a, 'k1'), undefined)
      assert.equal(await cache.get(a, 'k2'), undefined)
      assert.equal((await cache.get(b, 'k1'))?.value, 'three')
    })

    test('values are kept byte for byte, newlines and unicode included', async () => {
      const group = uniqueName('u')
      const value = '{"t":"line\\n2","s":"₿ → Ξ"}\n'
      await cache.set(group, 'k', value, 10_000)
      assert.equal((await cache.get(group, 'k'))?.value, value)
    })
  })
}

const redis = new Redis(testRedisUrl)
after(() => redis.quit())

contract('memory cache', { create: () => new MemoryCache() })
contract('redis cache', {
  create: () => new RedisCache(testRedisUrl, silentLogger()),
  ready: cache => cache.ready,
  // The default key layout (redis-cache.ts): <prefix>:cache:v1:<group>.
  storeTtlMs: group => redis.pttl(`cryptoviz:cache:v1:${group}`)
})

test('deployments with different key prefixes share one Redis without seeing each other', async () => {
  const [prefixA, prefixB] = [uniqueName('deployA'), uniqueName('deployB')]
  const a = new RedisCache(testRedisUrl, silentLogger(), { keyPrefix: prefixA })
  const b = new RedisCache(testRedisUrl, silentLogger(), { keyPrefix: prefixB })
  const sameA = new RedisCache(testRedisUrl, silentLogger(), { keyPrefix: prefixA })
  try {
    // The cache fails fast instead of queueing while it connects (see redis-cache.ts).
    await waitFor('the caches to connect', () => a.ready && b.ready && sameA.ready, 60_000)
    await a.set('symbols', 'all', 'from A', 10_000)
    await b.set('symbols', 'all', 'from B', 10_000)
    assert.equal((await a.get('symbols', 'all'))?.value, 'from A')
    assert.equal((await b.get('symbols', 'all'))?.value, 'from B')
    assert.equal((await sameA.get('symbols', 'all'))?.value, 'from A', 'one prefix is one shared cache')
    await b.invalidate(['symbols'])
    assert.equal(await b.get('symbols', 'all'), undefined)
    assert.equal((await a.get('symbols', 'all'))?.value, 'from A', "B's invalidation leaves A alone")
  } finally {
    await Promise.all([a.close(), b.close(), sameA.close()])
  }
})

test('the memory cache stays within its entry bound', async () => {
  const cache = new MemoryCache({ maxEntries: 100 })
  for (let i = 0; i < 1_000; i++) await cache.set(`g${i}`, 'k', 'v', 60_000)
  let kept = 0
  for (let i = 0; i < 1_000; i++) if ((await cache.get(`g${i}`, 'k')) !== undefined) kept++
  assert.ok(kept <= 100 && kept > 0, `kept ${kept}`)
  assert.equal((await cache.get('g999', 'k'))?.value, 'v', 'the newest entries are kept')
})

test('through the fail-open wrapper, a dead Redis is a miss, counted, never an error, and fast', async () => {
  const proxy = await startTcpProxy({ targetPort: Number(new URL(testRedisUrl).port || 6379) })
  const registry = new Registry()
  const errors = new Counter({
    name: 'test_cache_errors_total',
    help: 'x',
    labelNames: ['op'],
    registers: [registry]
  })
  const inner = new RedisCache(`redis://127.0.0.1:${proxy.port}`, silentLogger())
  const cache = new FailOpenCache(inner, { log: silentLogger(), errors })
  try {
    const group = uniqueName('f')
    await waitFor('the cache to connect', () => inner.ready, 60_000)
    await cache.set(group, 'k', 'v', 10_000)
    assert.equal((await cache.get(group, 'k'))?.value, 'v')
    await proxy.cut()
    await waitFor('the cache to see Redis gone', () => !inner.ready, 60_000)
    assert.equal(await cache.get(group, 'k'), undefined)
    assert.deepEqual(await cache.lookup(group, 'k'), { entry: undefined, failed: true })
    await cache.set(group, 'k', 'v2', 10_000)
    await cache.invalidate([group])
    assert.equal(cache.healthy, false)
    const counted = Object.fromEntries((await errors.get()).values.map(v => [v.labels.op, v.value]))
    assert.deepEqual(counted, { get: 2, set: 1, invalidate: 1 }, 'every failure was counted')
    // Fast: refused at once for want of a connection, neither queued until Redis returns nor timed out.
    assert.match(cache.lastError, /enableOfflineQueue/)
  } finally {
    await cache.close()
    await proxy.close()
  }
})
