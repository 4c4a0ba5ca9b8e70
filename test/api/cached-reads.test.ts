import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CachedReads } from '../../src/api/cached-reads.ts'
import { apiMetrics } from '../../src/api/metrics.ts'
import type { Cache } from '../../src/cache/cache.ts'
import { FailOpenCache } from '../../src/cache/fail-open-cache.ts'
import { MemoryCache } from '../../src/cache/memory-cache.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { Registry } from '../../src/ops/metrics.ts'

/** Reads as text, over a memory cache, without the local tier unless asked (its own test is below). */
function reads(maxStalenessMs = 10_000): {
  read: (...args: Parameters<CachedReads['read']>) => Promise<string>
  invalidate: CachedReads['invalidate']
} {
  const cached = new CachedReads({
    cache: new FailOpenCache(new MemoryCache(), { log: silentLogger() }),
    maxStalenessMs,
    metrics: apiMetrics(new Registry()),
    localEntries: 0
  })
  return {
    read: async (...args) => (await cached.read(...args)).toString(),
    invalidate: groups => cached.invalidate(groups)
  }
}

test('concurrent misses of one entry share a single database read', async () => {
  const cached = reads()
  let loads = 0
  const load = async (): Promise<unknown> => {
    loads++
    await new Promise(resolve => setTimeout(resolve, 50))
    return { n: loads }
  }
  const answers = await Promise.all(Array.from({ length: 10 }, () => cached.read('r', 'g', 'k', load)))
  assert.equal(loads, 1)
  assert.ok(answers.every(answer => answer === '{"n":1}'))
  assert.equal(await cached.read('r', 'g', 'k', load), '{"n":1}', 'then served from the cache')
  assert.equal(loads, 1)
})

test('a read overtaken by an invalidation is answered but not cached, and not shared with later readers', async () => {
  const cached = reads()
  let version = 1
  let release: () => void = () => undefined
  const slow = cached.read('r', 'g', 'k', async () => {
    const seen = version
    await new Promise<void>(resolve => (release = resolve))
    return { version: seen }
  })
  await new Promise(resolve => setTimeout(resolve, 10))
  version = 2
  await cached.invalidate(['g'])
  const fresh = cached.read('r', 'g', 'k', async () => ({ version }))
  release()
  assert.equal(await slow, '{"version":1}')
  assert.equal(await fresh, '{"version":2}')
  assert.equal(await cached.read('r', 'g', 'k', async () => ({ version: 3 })), '{"version":2}')
})

test('an entry expires by the bound counted from the start of its read', async () => {
  const cached = reads(150)
  let n = 0
  const load = async (): Promise<unknown> => {
    await new Promise(resolve => setTimeout(resolve, 100))
    return ++n
  }
  assert.equal(await cached.read('r', 'g', 'k', load), '1')
  await new Promise(resolve => setTimeout(resolve, 80))
  assert.equal(await cached.read('r', 'g', 'k', load), '2', 'read started 180 ms ago: older than the bound')
})

test('with a shared (Redis-like) cache, hot answers are also kept locally until the shared entry expires, and invalidations clear both', async () => {
  const shared = new MemoryCache()
  let sharedGets = 0
  const redisLike: Cache = {
    kind: 'redis',
    get: (group, key) => {
      sharedGets++
      return shared.get(group, key)
    },
    set: (group, key, value, ttl) => shared.set(group, key, value, ttl),
    invalidate: groups => shared.invalidate(groups),
    close: () => shared.close()
  }
  const cached = new CachedReads({
    cache: new FailOpenCache(redisLike, { log: silentLogger() }),
    maxStalenessMs: 200,
    metrics: apiMetrics(new Registry())
  })
  let n = 0
  const load = async (): Promise<unknown> => ++n
  const read = async (): Promise<string> => (await cached.read('r', 'g', 'k', load)).toString()
  assert.equal(await read(), '1')
  assert.equal(await read(), '1')
  assert.equal(sharedGets, 1, 'the second read did not go to the shared cache')
  await cached.invalidate(['g'])
  assert.equal(await read(), '2', 'the invalidation cleared the local copy')
  await new Promise(resolve => setTimeout(resolve, 250))
  assert.equal(await read(), '3', 'the local copy expired with the bound')
  await shared.set('g', 'k2', '"from another instance"', 150)
  assert.equal(
    (await cached.read('r', 'g', 'k2', load)).toString(),
    '"from another instance"',
    'an entry another instance stored is used'
  )
})
