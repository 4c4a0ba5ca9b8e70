import assert from 'node:assert/strict'
import { type TestContext, test } from 'node:test'
import { CachedReads } from '../../src/api/cached-reads.ts'
import { type ApiMetrics, apiMetrics } from '../../src/api/metrics.ts'
import type { Cache } from '../../src/cache/cache.ts'
import { FailOpenCache } from '../../src/cache/fail-open-cache.ts'
import { MemoryCache } from '../../src/cache/memory-cache.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { Registry } from '../../src/ops/metrics.ts'

/**
 * Time stands still in these tests and moves only when a test says so: `Date` is mocked (the entries'
 * expiry times, in the memory cache and the local copies) and CachedReads counts its bound on the same
 * clock. A slow database read is a step of the clock inside the load, an expiry a step between reads.
 */
function frozenClock(t: TestContext): { clock: () => number; advance: (ms: number) => void } {
  t.mock.timers.enable({ apis: ['Date'], now: Date.UTC(2026, 0, 1) })
  return { clock: () => Date.now(), advance: ms => t.mock.timers.tick(ms) }
}

/**
 * Every promise callback queued so far has run: the memory cache answers without I/O, so by then
 * each read started has got as far as it can without a load being released.
 */
const settled = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

/** Reads as text, over a memory cache, without the local tier unless asked (its own test is below). */
function reads(
  clock: () => number,
  options: { maxStalenessMs?: number; metrics?: ApiMetrics } = {}
): {
  read: (...args: Parameters<CachedReads['read']>) => Promise<string>
  invalidate: CachedReads['invalidate']
} {
  const cached = new CachedReads({
    cache: new FailOpenCache(new MemoryCache(), { log: silentLogger() }),
    maxStalenessMs: options.maxStalenessMs ?? 10_000,
    metrics: options.metrics ?? apiMetrics(new Registry()),
    localEntries: 0,
    clock
  })
  return {
    read: async (...args) => (await cached.read(...args)).toString(),
    invalidate: groups => cached.invalidate(groups)
  }
}

test('concurrent misses of one entry share a single database read', async t => {
  const { clock } = frozenClock(t)
  const metrics = apiMetrics(new Registry())
  const cached = reads(clock, { metrics })
  let loads = 0
  let finish: () => void = () => undefined
  const load = async (): Promise<unknown> => {
    loads++
    await new Promise<void>(resolve => (finish = resolve))
    return { n: loads }
  }
  const answers = Promise.all(Array.from({ length: 10 }, () => cached.read('r', 'g', 'k', load)))
  // The database read is held until each of the ten has either started it or joined it (counted,
  // as a miss or as coalesced, at that decision).
  await settled()
  const decided = (await metrics.cacheRequests.get()).values.reduce((sum, v) => sum + v.value, 0)
  assert.equal(decided, 10, 'all ten reads missed the cache or joined the read in flight')
  finish()
  assert.equal(loads, 1)
  assert.ok((await answers).every(answer => answer === '{"n":1}'))
  assert.equal(await cached.read('r', 'g', 'k', load), '{"n":1}', 'then served from the cache')
  assert.equal(loads, 1)
})

test('a read overtaken by an invalidation is answered but not cached, and not shared with later readers', async t => {
  const { clock, advance } = frozenClock(t)
  const cached = reads(clock)
  let version = 1
  let started: () => void = () => undefined
  const loadStarted = new Promise<void>(resolve => (started = resolve))
  let release: () => void = () => undefined
  const slow = cached.read('r', 'g', 'k', async () => {
    const seen = version
    started()
    await new Promise<void>(resolve => (release = resolve))
    return { version: seen }
  })
  await loadStarted
  advance(10)
  version = 2
  await cached.invalidate(['g'])
  advance(1) // a read that starts at the instant of an invalidation counts as overtaken: start after it
  let freshLoads = 0
  const fresh = cached.read('r', 'g', 'k', async () => {
    freshLoads++
    return { version }
  })
  await settled()
  assert.equal(freshLoads, 1, 'the later read reads the database itself, not joining the overtaken one')
  assert.equal(await fresh, '{"version":2}')
  // The overtaken read ends last: were it cached, its older answer would replace the fresh one.
  release()
  assert.equal(await slow, '{"version":1}')
  assert.equal(await cached.read('r', 'g', 'k', async () => ({ version: 3 })), '{"version":2}')
})

test('an entry expires by the bound counted from the start of its read', async t => {
  const { clock, advance } = frozenClock(t)
  const cached = reads(clock, { maxStalenessMs: 150 })
  let n = 0
  const load = async (): Promise<unknown> => {
    advance(100) // the database takes 100 ms to answer
    return ++n
  }
  assert.equal(await cached.read('r', 'g', 'k', load), '1')
  advance(49)
  assert.equal(await cached.read('r', 'g', 'k', load), '1', 'read started 149 ms ago: within the bound')
  advance(1)
  assert.equal(await cached.read('r', 'g', 'k', load), '2', 'read started 150 ms ago: at the bound, gone')
})

test('with a shared (Redis-like) cache, hot answers are also kept locally until the shared entry expires, and invalidations clear both', async t => {
  const { clock, advance } = frozenClock(t)
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
    metrics: apiMetrics(new Registry()),
    clock
  })
  let n = 0
  const load = async (): Promise<unknown> => ++n
  const read = async (): Promise<string> => (await cached.read('r', 'g', 'k', load)).toString()
  assert.equal(await read(), '1')
  assert.equal(await read(), '1')
  assert.equal(sharedGets, 1, 'the second read did not go to the shared cache')
  await cached.invalidate(['g'])
  advance(1) // a read that starts at the instant of an invalidation is not cached: start after it
  assert.equal(await read(), '2', 'the invalidation cleared the local copy')
  assert.equal(sharedGets, 2)
  advance(199)
  assert.equal(await read(), '2', 'just inside the bound the local copy answers')
  assert.equal(sharedGets, 2, 'without asking the shared cache')
  advance(1)
  assert.equal(await read(), '3', 'the local copy expired with the bound')
  await shared.set('g', 'k2', '"from another instance"', 150)
  assert.equal(
    (await cached.read('r', 'g', 'k2', load)).toString(),
    '"from another instance"',
    'an entry another instance stored is used'
  )
})
