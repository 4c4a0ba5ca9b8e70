/**
 * Cache-aside reads with a freshness bound. An answer is cached for at most `maxStalenessMs` counted
 * from the moment its database read *started*, so it reflects every row stored before that moment and
 * is gone by that moment + the bound: a cached answer is never older than the newest stored event by
 * more than the bound. New data invalidates its group at once (driven by live events), so in practice
 * answers are fresh within milliseconds; the TTL is the guarantee when an invalidation is missed.
 *
 * Concurrent misses for the same entry share one database read (no stampede), and a read that was
 * overtaken by an invalidation of its group is answered but not cached (it may predate the new data).
 */
import type { FailOpenCache } from '../cache/fail-open-cache.ts'
import type { ApiMetrics } from './metrics.ts'

export interface CachedReadsOptions {
  cache: FailOpenCache
  maxStalenessMs: number
  metrics: ApiMetrics
}

export class CachedReads {
  readonly #cache: FailOpenCache
  readonly #maxStalenessMs: number
  readonly #metrics: ApiMetrics
  readonly #inFlight = new Map<string, { started: number; body: Promise<string> }>()
  /** When each group was last invalidated here (monotonic ms), to refuse caching overtaken reads. */
  readonly #invalidatedAt = new Map<string, number>()

  constructor(options: CachedReadsOptions) {
    this.#cache = options.cache
    this.#maxStalenessMs = options.maxStalenessMs
    this.#metrics = options.metrics
  }

  /**
   * The JSON text of `load()`'s answer, from the cache when a fresh copy is there. `resource` labels
   * the metrics; `group` is what new data invalidates; `key` tells entries of a group apart.
   */
  async read(resource: string, group: string, key: string, load: () => Promise<unknown>): Promise<string> {
    const cached = await this.#cache.lookup(group, key)
    if (cached.value !== undefined) {
      this.#metrics.cacheRequests.inc({ resource, result: 'hit' })
      return cached.value
    }
    const id = `${group}\u0000${key}`
    const shared = this.#inFlight.get(id)
    if (shared !== undefined && !this.#overtaken(group, shared.started)) {
      this.#metrics.cacheRequests.inc({ resource, result: 'coalesced' })
      return shared.body
    }
    this.#metrics.cacheRequests.inc({ resource, result: cached.failed ? 'error' : 'miss' })
    const started = performance.now()
    const body = this.#load(group, key, started, load).finally(() => {
      if (this.#inFlight.get(id)?.body === body) this.#inFlight.delete(id)
    })
    this.#inFlight.set(id, { started, body })
    return body
  }

  /** New data arrived for these groups: drop their entries, here and in the shared cache. */
  async invalidate(groups: readonly string[]): Promise<void> {
    const now = performance.now()
    for (const group of groups) this.#invalidatedAt.set(group, now)
    // Bounded bookkeeping: entries older than the bound can no longer matter.
    if (this.#invalidatedAt.size > 10_000) {
      for (const [group, at] of this.#invalidatedAt)
        if (now - at > this.#maxStalenessMs) this.#invalidatedAt.delete(group)
    }
    await this.#cache.invalidate(groups)
  }

  #overtaken(group: string, started: number): boolean {
    return (this.#invalidatedAt.get(group) ?? -Infinity) >= started
  }

  async #load(group: string, key: string, started: number, load: () => Promise<unknown>): Promise<string> {
    const body = JSON.stringify(await load())
    const ttl = this.#maxStalenessMs - (performance.now() - started)
    if (ttl > 0 && !this.#overtaken(group, started)) void this.#cache.set(group, key, body, ttl)
    return body
  }
}
