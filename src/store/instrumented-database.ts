/**
 * A database that measures itself (`cryptoviz_db_*`, documented in docs/metrics.md): the duration of
 * every transaction (the pipeline's writes: one per ingest or analytics batch) and of every statement
 * run outside one (mostly the API's reads), and errors by code. Wraps either adapter; the runtime
 * hands roles this wrapper, so every role reports database latency alike.
 */
import { isCryptoVizError } from '../errors/errors.ts'
import { Counter, Histogram, type Registry, latencyBuckets } from '../ops/metrics.ts'
import type { Database, QueryResult, Transaction } from './database.ts'

function createDatabaseMetrics(registry: Registry) {
  const registers = [registry]
  return {
    transactionSeconds: new Histogram({
      name: 'cryptoviz_db_transaction_duration_seconds',
      help: 'Time one transaction took (database write latency), by outcome (committed, rolled_back).',
      labelNames: ['outcome'] as const,
      buckets: latencyBuckets,
      registers
    }),
    querySeconds: new Histogram({
      name: 'cryptoviz_db_query_duration_seconds',
      help: 'Time one statement outside a transaction took (mostly reads).',
      buckets: latencyBuckets,
      registers
    }),
    errors: new Counter({
      name: 'cryptoviz_db_errors_total',
      help: 'Database calls that failed, by error code (CV_ERR_DB_UNAVAILABLE, CV_ERR_DB_QUERY, …).',
      labelNames: ['code'] as const,
      registers
    })
  }
}

export class InstrumentedDatabase implements Database {
  readonly #inner: Database
  readonly #metrics: ReturnType<typeof createDatabaseMetrics>

  constructor(inner: Database, registry: Registry) {
    this.#inner = inner
    this.#metrics = createDatabaseMetrics(registry)
  }

  get kind(): Database['kind'] {
    return this.#inner.kind
  }

  async query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[]
  ): Promise<QueryResult<R>> {
    const end = this.#metrics.querySeconds.startTimer()
    try {
      return await this.#inner.query<R>(sql, params)
    } catch (error) {
      this.#failed(error)
      throw error
    } finally {
      end()
    }
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const started = performance.now()
    const seconds = (): number => (performance.now() - started) / 1000
    try {
      const result = await this.#inner.transaction(fn)
      this.#metrics.transactionSeconds.observe({ outcome: 'committed' }, seconds())
      return result
    } catch (error) {
      this.#metrics.transactionSeconds.observe({ outcome: 'rolled_back' }, seconds())
      this.#failed(error)
      throw error
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.#inner.exec(sql)
    } catch (error) {
      this.#failed(error)
      throw error
    }
  }

  close(): Promise<void> {
    return this.#inner.close()
  }

  #failed(error: unknown): void {
    this.#metrics.errors.inc({ code: isCryptoVizError(error) ? error.code : 'unexpected' })
  }
}
