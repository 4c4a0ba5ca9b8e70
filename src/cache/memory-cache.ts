/** The cache in process memory (embedded mode, one API instance): bounded, oldest entries evicted first. */
import type { Cache, CacheEntry } from './cache.ts'

export class MemoryCache implements Cache {
  readonly kind = 'memory'
  readonly #groups = new Map<string, Map<string, CacheEntry>>()
  readonly #maxEntries: number
  #size = 0

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000
  }

  async get(group: string, key: string): Promise<CacheEntry | undefined> {
    const entry = this.#groups.get(group)?.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= Date.now()) {
      this.#delete(group, key)
      return undefined
    }
    return entry
  }

  async set(group: string, key: string, value: string, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return
    let entries = this.#groups.get(group)
    if (entries === undefined) {
      entries = new Map()
      this.#groups.set(group, entries)
    }
    if (!entries.has(key)) this.#size++
    entries.set(key, { value, expiresAt: Date.now() + ttlMs })
    if (this.#size > this.#maxEntries) this.#evict()
  }

  async invalidate(groups: readonly string[]): Promise<void> {
    for (const group of groups) {
      this.#size -= this.#groups.get(group)?.size ?? 0
      this.#groups.delete(group)
    }
  }

  async close(): Promise<void> {
    this.#groups.clear()
    this.#size = 0
  }

  #delete(group: string, key: string): void {
    const entries = this.#groups.get(group)
    if (entries?.delete(key) === true) this.#size--
    if (entries?.size === 0) this.#groups.delete(group)
  }

  // Maps iterate in insertion order: the first groups are the oldest; drop them until under the bound.
  #evict(): void {
    for (const [group, entries] of this.#groups) {
      if (this.#size <= this.#maxEntries * 0.9) return
      this.#size -= entries.size
      this.#groups.delete(group)
    }
  }
}
