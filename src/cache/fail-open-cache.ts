/**
 * Wraps a cache so that its failures never reach a request: a get that fails is a miss, a set or an
 * invalidation that fails is skipped, and each failure is counted. The API then reads the database
 * directly, which is what the cache only spares it. State changes (down, back) are logged once each,
 * not per request.
 */
import type { Counter } from 'prom-client'
import { CryptoVizError, ErrorCodes, describeError } from '../errors/errors.ts'
import type { Logger } from '../log/logger.ts'
import type { Cache, CacheEntry } from './cache.ts'

export type CacheOp = 'get' | 'set' | 'invalidate'

export class FailOpenCache implements Cache {
  readonly #inner: Cache
  readonly #log: Logger
  readonly #errors: Counter<'op'> | undefined
  #healthy = true
  #lastError = ''

  constructor(inner: Cache, options: { log: Logger; errors?: Counter<'op'> }) {
    this.#inner = inner
    this.#log = options.log
    this.#errors = options.errors
  }

  get kind(): Cache['kind'] {
    return this.#inner.kind
  }

  /** False after the last operation failed, until one succeeds. */
  get healthy(): boolean {
    return this.#healthy
  }

  get lastError(): string {
    return this.#lastError
  }

  async get(group: string, key: string): Promise<CacheEntry | undefined> {
    return this.#guard('get', () => this.#inner.get(group, key), undefined)
  }

  /** Like get, but tells a miss from a failure (for the hit-rate metric). */
  async lookup(group: string, key: string): Promise<{ entry: CacheEntry | undefined; failed: boolean }> {
    const failed = { entry: undefined, failed: true }
    return this.#guard<{ entry: CacheEntry | undefined; failed: boolean }>(
      'get',
      async () => ({ entry: await this.#inner.get(group, key), failed: false }),
      failed
    )
  }

  async set(group: string, key: string, value: string, ttlMs: number): Promise<void> {
    await this.#guard('set', () => this.#inner.set(group, key, value, ttlMs), undefined)
  }

  async invalidate(groups: readonly string[]): Promise<void> {
    await this.#guard('invalidate', () => this.#inner.invalidate(groups), undefined)
  }

  close(): Promise<void> {
    return this.#inner.close()
  }

  async #guard<T>(op: CacheOp, fn: () => Promise<T>, fallback: T): Promise<T> {
    try {
      const result = await fn()
      if (!this.#healthy) {
        this.#healthy = true
        this.#log.info({ cache: this.#inner.kind }, 'cache reachable again')
      }
      return result
    } catch (error) {
      this.#errors?.inc({ op })
      this.#lastError = describeError(error)
      if (this.#healthy) {
        this.#healthy = false
        const wrapped = new CryptoVizError(
          ErrorCodes.CACHE_UNAVAILABLE,
          `cache ${op} failed (${this.#lastError}); reading the database directly until it is back`,
          { cause: error, retryable: true }
        )
        this.#log.warn({ code: wrapped.code, err: wrapped.message }, 'cache unavailable')
      }
      return fallback
    }
  }
}
