/**
 * The cache in Redis, shared by every API instance: one hash per group (`<prefix>:cache:v1:<group>`,
 * the prefix being REDIS_KEY_PREFIX, `cryptoviz` by default),
 * one field per entry, so invalidating a group is a single UNLINK. The hash itself expires after the
 * longest TTL written into it, which bounds memory; each field carries its own expiry (cache.ts).
 * Commands fail fast while Redis is away (no offline queue) and time out after `commandTimeoutMs`,
 * so a stalled Redis costs a request that much at most.
 */
import { Redis } from 'ioredis'
import { describeError } from '../errors/errors.ts'
import type { Logger } from '../log/logger.ts'
import { type Cache, type CacheEntry, packEntry, unpackEntry } from './cache.ts'

export class RedisCache implements Cache {
  readonly kind = 'redis'
  readonly #redis: Redis
  readonly #prefix: string

  constructor(url: string, log: Logger, options: { commandTimeoutMs?: number; keyPrefix?: string } = {}) {
    this.#prefix = `${options.keyPrefix ?? 'cryptoviz'}:cache:v1:`
    this.#redis = new Redis(url, {
      connectionName: 'crypto-viz-cache',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 250,
      retryStrategy: attempt => Math.min(2_000, 50 * 2 ** Math.min(attempt, 6))
    })
    this.#redis.on('error', error => log.debug({ err: describeError(error) }, 'redis cache connection error'))
  }

  /** True while connected; callers may skip the cache altogether when it is not. */
  get ready(): boolean {
    return this.#redis.status === 'ready'
  }

  async get(group: string, key: string): Promise<CacheEntry | undefined> {
    const entry = await this.#redis.hget(this.#prefix + group, key)
    return entry === null ? undefined : unpackEntry(entry, Date.now())
  }

  async set(group: string, key: string, value: string, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return
    const ttl = Math.ceil(ttlMs)
    await this.#redis
      .multi()
      .hset(this.#prefix + group, key, packEntry(value, Date.now() + ttl))
      .pexpire(this.#prefix + group, ttl)
      .exec()
  }

  async invalidate(groups: readonly string[]): Promise<void> {
    if (groups.length === 0) return
    await this.#redis.unlink(...groups.map(group => this.#prefix + group))
  }

  async close(): Promise<void> {
    this.#redis.disconnect()
  }
}
