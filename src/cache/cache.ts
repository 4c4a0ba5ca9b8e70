/**
 * The cache port: short-lived copies of hot API answers. Entries live in groups (e.g. "candles for
 * BTC/USD at 1m"); new data for a group invalidates the whole group at once, and every entry also
 * expires on its own after a TTL, so an answer is never older than the configured bound even when an
 * invalidation is missed. Two implementations: Redis (shared by every API instance,
 * redis-cache.ts) and in-process memory (embedded mode, memory-cache.ts). Callers wrap either in
 * FailOpenCache so cache trouble costs latency, never errors.
 */
export interface CacheEntry {
  value: string
  /** Epoch ms after which the entry must not be served. */
  expiresAt: number
}

export interface Cache {
  readonly kind: 'redis' | 'memory'
  /** The entry, or undefined when absent or expired. */
  get(group: string, key: string): Promise<CacheEntry | undefined>
  /** Stores an entry that expires after `ttlMs`. */
  set(group: string, key: string, value: string, ttlMs: number): Promise<void>
  /** Drops every entry of each group (new data arrived for it). */
  invalidate(groups: readonly string[]): Promise<void>
  close(): Promise<void>
}

/**
 * Entries carry their own expiry (epoch ms) in front of the value, because a group's entries share one
 * container (a Redis hash) whose TTL cannot be per entry on every Redis version we support.
 */
export function packEntry(value: string, expiresAt: number): string {
  return `${expiresAt}\n${value}`
}

export function unpackEntry(entry: string, now: number): CacheEntry | undefined {
  const newline = entry.indexOf('\n')
  if (newline < 0) return undefined
  const expiresAt = Number(entry.slice(0, newline))
  return Number.isFinite(expiresAt) && expiresAt > now
    ? { value: entry.slice(newline + 1), expiresAt }
    : undefined
}
