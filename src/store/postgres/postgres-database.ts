/** The database port over PostgreSQL (or TimescaleDB) with a `pg` connection pool. */
import pg from 'pg'
import { CryptoVizError, ErrorCodes, describeError } from '../../errors/errors.ts'
import type { Logger } from '../../log/logger.ts'
import { type Database, type QueryResult, type Transaction, timestamptzToIso } from '../database.ts'

const { Pool, types } = pg

const OID = { int8: 20, timestamptz: 1184, timestamp: 1114 } as const

// Per-pool type parsers: numeric stays text (exact), int8 becomes a number (ids and counts here
// stay far below 2^53), timestamptz keeps its microseconds as ISO text (a Date would cut to ms).
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === OID.int8) return (value: string) => Number(value)
    if (oid === OID.timestamptz) return timestamptzToIso
    if (oid === OID.timestamp) return (value: string) => value.replace(' ', 'T')
    return types.getTypeParser(oid, format)
  }
}

// SQLSTATE classes and codes that mean "the server is not there right now", not "the query is wrong".
const unavailableStates = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006'
])
const unavailableErrnos = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH'
])

export function classifyPgError(error: unknown, what: string): CryptoVizError {
  const code = (error as { code?: string }).code ?? ''
  const message = describeError(error)
  const unavailable =
    unavailableStates.has(code) ||
    unavailableErrnos.has(code) ||
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message
    )
  return unavailable
    ? new CryptoVizError(ErrorCodes.DB_UNAVAILABLE, `database unavailable during ${what}: ${message}`, {
        cause: error,
        retryable: true
      })
    : new CryptoVizError(
        ErrorCodes.DB_QUERY,
        `${what} failed: ${message}${code ? ` (SQLSTATE ${code})` : ''}`,
        {
          cause: error
        }
      )
}

type PgResult = pg.QueryResult | pg.QueryResult[]

/** A multi-statement script returns one result per statement: report the last. */
function normalize<R>(result: PgResult): QueryResult<R> {
  const last = Array.isArray(result) ? result[result.length - 1] : result
  return { rows: (last?.rows ?? []) as R[], rowCount: last?.rowCount ?? last?.rows.length ?? 0 }
}

// Parameters switch pg to the extended protocol, which allows one statement only: scripts go without.
function run(client: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[]): Promise<PgResult> {
  return (
    params.length === 0 ? client.query(sql) : client.query(sql, params as unknown[])
  ) as Promise<PgResult>
}

function firstLine(sql: string): string {
  const statement = sql
    .split('\n')
    .map(line => line.trim())
    .find(line => line !== '' && !line.startsWith('--'))
  return statement?.slice(0, 80) ?? ''
}

export interface PostgresOptions {
  url: string
  poolSize?: number
  /** Name shown in pg_stat_activity. */
  applicationName?: string
  log: Logger
}

export class PostgresDatabase implements Database {
  readonly kind = 'postgres'
  readonly #pool: pg.Pool
  readonly #log: Logger

  constructor(options: PostgresOptions) {
    this.#log = options.log
    this.#pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      application_name: options.applicationName ?? 'crypto-viz',
      options: '-c TimeZone=UTC',
      types: typeParsers
    })
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.#pool.on('error', error =>
      options.log.warn({ err: describeError(error) }, 'idle database connection lost')
    )
  }

  async query<R = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = []
  ): Promise<QueryResult<R>> {
    try {
      return normalize<R>(await run(this.#pool, sql, params))
    } catch (error) {
      throw classifyPgError(error, `query "${firstLine(sql)}"`)
    }
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    let client: pg.PoolClient
    try {
      client = await this.#pool.connect()
    } catch (error) {
      throw classifyPgError(error, 'connect')
    }
    let broken = false
    // While checked out, the pool no longer listens for the client's errors: a server going away
    // between two statements (a shutdown: 57P01) would be an unhandled 'error' event and kill the
    // process. The next statement fails with it instead, and the client is discarded.
    const onError = (error: Error): void => {
      broken = true
      // The next statement only learns that the client "is not queryable": log the cause here.
      this.#log.warn({ err: describeError(error) }, 'database connection lost during a transaction')
    }
    client.on('error', onError)
    const tx: Transaction = {
      async query<R>(sql: string, params: readonly unknown[] = []) {
        try {
          return normalize<R>(await run(client, sql, params))
        } catch (error) {
          const classified = classifyPgError(error, `query "${firstLine(sql)}"`)
          broken ||= classified.retryable
          throw classified
        }
      },
      async exec(sql: string) {
        await tx.query(sql)
      }
    }
    try {
      await tx.query('begin')
      const result = await fn(tx)
      await tx.query('commit')
      return result
    } catch (error) {
      if (!broken) await client.query('rollback').catch(() => undefined)
      throw error
    } finally {
      // A client whose connection failed is discarded, not returned to the pool.
      client.off('error', onError)
      client.release(broken)
    }
  }

  async exec(sql: string): Promise<void> {
    await this.query(sql)
  }

  async close(): Promise<void> {
    await this.#pool.end()
  }
}
