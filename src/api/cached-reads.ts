/**
 * Cache-aside reads with a freshness bound. An answer is cached for at most `maxStalenessMs` counted
 * from the moment its database read *started*, so it reflects every row stored before that moment and
 * is gone by that moment + the bound: a cached answer is never older than the newest stored event by
 * more than the bound. New data invalidates its group at once (driven by live events), so in practice
 * answers are fresh within milliseconds; the TTL is the guarantee when an invalidation is missed.
 *
 * Two tiers: the shared cache (Redis: every instance, survives restarts of one) and, in front of it, a
 * small per-instance copy that keeps each entry only until the shared entry's own expiry, so the bound
 * is the same, and that the same invalidations clear (every instance hears every event). The local
 * tier spares a Redis round trip on the hottest answers.
 *
 * Concurrent misses for the same entry share one database read (no stampede), and a read that was
 * overtaken by an invalidation of its group is answered but not cached (it may predate the new data).
 */
import type { FailOpenCache } from '../cache/fail-open-cache.ts'
import { LocalCopies } from './local-copies.ts'
import type { ApiMetrics } from './metrics.ts'

export interface CachedReadsOptions {
  cache: FailOpenCache
  maxStalenessMs: number
  metrics: ApiMetrics
  /** Entries of the per-instance tier (default 1000; 0 turns it off). */
  localEntries?: number
  /**
   * Monotonic ms the bound is counted in (default performance.now). Tests pass a fake one, with Date
   * mocked alongside (entries expire in epoch ms), so a slow read or an expiry is a step of the clock.
   */
  clock?: () => number
}

export class CachedReads {
  readonly #cache: FailOpenCache
  readonly #local: LocalCopies | undefined
  readonly #maxStalenessMs: number
  readonly #metrics: ApiMetrics
  readonly #clock: () => number
  readonly #inFlight = new Map<string, { started: number; body: Promise<Buffer> }>()
  /** When each group was last invalidated here (monotonic ms), to refuse caching overtaken reads. */
  readonly #invalidatedAt = new Map<string, number>()

  constructor(options: CachedReadsOptions) {
    this.#cache = options.cache
    this.#maxStalenessMs = options.maxStalenessMs
    this.#metrics = options.metrics
    this.#clock = options.clock ?? (() => performance.now())
    const localEntries = options.localEntries ?? 1_000
    // Even over a memory cache (embedded mode) the copy spares re-encoding the answer each time.
    this.#local = localEntries > 0 ? new LocalCopies(localEntries) : undefined
  }

  /**
   * The JSON of `load()`'s answer (UTF-8 bytes), from the cache when a fresh copy is there.
   * `resource` labels the metrics; `group` is what new data invalidates; `key` tells entries of a
   * group apart.
   */
  async read(resource: string, group: string, key: string, load: () => Promise<unknown>): Promise<Buffer> {
    const local = this.#local?.get(group, key)
    if (local !== undefined) {
      this.#metrics.cacheRequests.inc({ resource, result: 'local_hit' })
      return local
    }
    const lookupStarted = this.#clock()
    const shared = await this.#cache.lookup(group, key)
    if (shared.entry !== undefined) {
      this.#metrics.cacheRequests.inc({ resource, result: 'hit' })
      const body = Buffer.from(shared.entry.value)
      if (!this.#overtaken(group, lookupStarted))
        this.#local?.set(group, key, { body, expiresAt: shared.entry.expiresAt })
      return body
    }
    const id = `${group}\u0000${key}`
    const inFlight = this.#inFlight.get(id)
    if (inFlight !== undefined && !this.#overtaken(group, inFlight.started)) {
      this.#metrics.cacheRequests.inc({ resource, result: 'coalesced' })
      return inFlight.body
    }
    this.#metrics.cacheRequests.inc({ resource, result: shared.failed ? 'error' : 'miss' })
    const started = this.#clock()
    const body = this.#load(group, key, started, load).finally(() => {
      if (this.#inFlight.get(id)?.body === body) this.#inFlight.delete(id)
    })
    this.#inFlight.set(id, { started, body })
    return body
  }

  /** New data arrived for these groups: drop their entries, here and in the shared cache. */
  async invalidate(groups: readonly string[]): Promise<void> {
    const now = this.#clock()
    for (const group of groups) this.#invalidatedAt.set(group, now)
    // Bounded bookkeeping: entries older than the bound can no longer matter.
    if (this.#invalidatedAt.size > 10_000) {
      for (const [group, at] of this.#invalidatedAt)
        if (now - at > this.#maxStalenessMs) this.#invalidatedAt.delete(group)
    }
    this.#local?.invalidate(groups)
    await this.#cache.invalidate(groups)
  }

  #overtaken(group: string, started: number): boolean {
    return (this.#invalidatedAt.get(group) ?? -Infinity) >= started
  }

  async #load(group: string, key: string, started: number, load: () => Promise<unknown>): Promise<Buffer> {
    const text = JSON.stringify(await load())
    const body = Buffer.from(text)
    const ttl = this.#maxStalenessMs - (this.#clock() - started)
    if (ttl > 0 && !this.#overtaken(group, started)) {
      this.#local?.set(group, key, { body, expiresAt: Date.now() + ttl })
      void this.#cache.set(group, key, text, ttl)
    }
    return body
  }
}
