/**
 * This instance's copies of hot cached answers, kept as ready-to-send bytes (encoding a large JSON
 * string per response was a fifth of the server's time on the hottest path). Grouped like the shared
 * cache so that one invalidation drops a whole group; bounded, oldest groups evicted first.
 */
export interface LocalCopy {
  body: Buffer
  /** Epoch ms: the shared entry's own expiry, so a copy never outlives the freshness bound. */
  expiresAt: number
}

export class LocalCopies {
  readonly #groups = new Map<string, Map<string, LocalCopy>>()
  readonly #maxEntries: number
  #size = 0

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries
  }

  get(group: string, key: string, now = Date.now()): Buffer | undefined {
    const entries = this.#groups.get(group)
    const copy = entries?.get(key)
    if (entries === undefined || copy === undefined) return undefined
    if (copy.expiresAt > now) return copy.body
    entries.delete(key)
    this.#size--
    if (entries.size === 0) this.#groups.delete(group)
    return undefined
  }

  set(group: string, key: string, copy: LocalCopy): void {
    if (copy.expiresAt <= Date.now()) return
    let entries = this.#groups.get(group)
    if (entries === undefined) {
      entries = new Map()
      this.#groups.set(group, entries)
    }
    if (!entries.has(key)) this.#size++
    entries.set(key, copy)
    if (this.#size <= this.#maxEntries) return
    for (const [oldest, dropped] of this.#groups) {
      if (this.#size <= this.#maxEntries * 0.9) break
      this.#size -= dropped.size
      this.#groups.delete(oldest)
    }
  }

  invalidate(groups: readonly string[]): void {
    for (const group of groups) {
      this.#size -= this.#groups.get(group)?.size ?? 0
      this.#groups.delete(group)
    }
  }
}
