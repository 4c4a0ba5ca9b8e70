/**
 * The database port over PGlite: PostgreSQL compiled to WebAssembly, in this process, persisted to a
 * folder. The embedded mode runs the same migrations and SQL as the full stack on it. One process
 * may open a folder at a time (a lock file says who has it), because PGlite is single-connection.
 */
import { PGlite, types } from '@electric-sql/pglite'
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CryptoVizError, ErrorCodes, describeError } from '../../errors/errors.ts'
import { processAlive } from '../../lib/process-alive.ts'
import { type Database, type QueryResult, type Transaction, timestamptzToIso } from '../database.ts'
import { createDataFolderInChild, holdsDatabase } from './create-data-folder.ts'
import { pgliteStartParams } from './memory-settings.ts'

// The same value shapes as the PostgreSQL adapter (see database.ts). Passed with every query:
// PGlite 0.5 ignores constructor-level parsers for some types (timestamptz).
const parsers = {
  [types.NUMERIC]: (value: string) => value,
  [types.INT8]: (value: string) => Number(value),
  [types.TIMESTAMPTZ]: timestamptzToIso,
  [types.TIMESTAMP]: (value: string) => value.replace(' ', 'T')
}

// PGlite reports affectedRows 0 for a select; PostgreSQL's rowCount is the rows returned there.
function rowCount(result: { rows: unknown[]; affectedRows?: number }): number {
  return Math.max(result.affectedRows ?? 0, result.rows.length)
}

function classify(error: unknown, what: string): CryptoVizError {
  const code = (error as { code?: string }).code
  return new CryptoVizError(
    ErrorCodes.DB_QUERY,
    `${what} failed: ${describeError(error)}${code ? ` (SQLSTATE ${code})` : ''}`,
    { cause: error }
  )
}

function lockFolder(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const lockPath = join(dataDir, 'crypto-viz.lock')
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx')
      writeFileSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(lockPath, { force: true })
    } catch {
      const holder = Number(readFileSync(lockPath, 'utf8'))
      if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) {
        throw new CryptoVizError(
          ErrorCodes.DB_UNAVAILABLE,
          `the embedded database in ${dataDir} is in use by process ${holder}; stop it first (one process per data folder)`
        )
      }
      rmSync(lockPath, { force: true }) // left behind by a process that died
    }
  }
}

export class PgliteDatabase implements Database {
  readonly kind = 'pglite'
  readonly #pg: PGlite
  readonly #unlock: () => void

  private constructor(pg: PGlite, unlock: () => void) {
    this.#pg = pg
    this.#unlock = unlock
  }

  /**
   * Opens the database in `dataDir`, creating it first in a child process (see create-data-folder.ts)
   * when the folder holds none; in memory when `dataDir` is undefined.
   */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    const unlock = dataDir === undefined ? () => undefined : lockFolder(dataDir)
    try {
      if (dataDir !== undefined && !holdsDatabase(dataDir)) await createDataFolderInChild(dataDir)
      const pg = new PGlite(dataDir, { startParams: pgliteStartParams() })
      await pg.waitReady
      await pg.exec("set timezone to 'UTC'")
      return new PgliteDatabase(pg, unlock)
    } catch (error) {
      unlock()
      throw error instanceof CryptoVizError
        ? error
        : new CryptoVizError(
            ErrorCodes.DB_UNAVAILABLE,
            `opening the embedded database failed: ${describeError(error)}`,
            {
              cause: error
            }
          )
    }
  }

  #closedError(): CryptoVizError {
    return new CryptoVizError(ErrorCodes.DB_UNAVAILABLE, 'the embedded database is closed', {
      retryable: false
    })
  }

  async query<R = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = []
  ): Promise<QueryResult<R>> {
    if (this.#pg.closed) throw this.#closedError()
    try {
      const result = await this.#pg.query<R>(sql, [...params], { parsers })
      return { rows: result.rows, rowCount: rowCount(result) }
    } catch (error) {
      throw classify(error, 'query')
    }
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.#pg.closed) throw this.#closedError()
    return this.#pg.transaction(async tx =>
      fn({
        async query<R>(sql: string, params: readonly unknown[] = []) {
          try {
            const result = await tx.query<R>(sql, [...params], { parsers })
            return { rows: result.rows, rowCount: rowCount(result) }
          } catch (error) {
            throw classify(error, 'query')
          }
        },
        async exec(sql: string) {
          try {
            await tx.exec(sql)
          } catch (error) {
            throw classify(error, 'script')
          }
        }
      })
    )
  }

  async exec(sql: string): Promise<void> {
    if (this.#pg.closed) throw this.#closedError()
    try {
      await this.#pg.exec(sql)
    } catch (error) {
      throw classify(error, 'script')
    }
  }

  async close(): Promise<void> {
    if (!this.#pg.closed) await this.#pg.close()
    this.#unlock()
  }
}
