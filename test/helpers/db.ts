/** A fresh PostgreSQL database per test file (on the server the test run started), dropped afterwards. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import pg from 'pg'
import { silentLogger } from '../../src/log/logger.ts'
import type { Queryable } from '../../src/store/database.ts'
import { PostgresDatabase } from '../../src/store/postgres/postgres-database.ts'
import { migrate } from '../../src/store/migrator.ts'
import { type TimescaleOptions, applyTimescaleLayer } from '../../src/store/timescale/timescale-layer.ts'
import { readTimescaleSupport } from '../../src/store/timescale/timescale-support.ts'
import { uniqueName } from './names.ts'

export const adminUrl =
  process.env.TEST_DATABASE_URL ?? 'postgres://cryptoviz:cryptoviz@127.0.0.1:5432/cryptoviz'

export function databaseUrl(name: string, base = adminUrl): string {
  const url = new URL(base)
  url.pathname = `/${name}`
  return url.toString()
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export interface TestDatabase {
  name: string
  url: string
  db: PostgresDatabase
  drop(): Promise<void>
}

/** The TimescaleDB layer as the application applies it by default (TIMESCALE=on, no retention). */
export const timescaleDefaults: TimescaleOptions = {
  mode: 'on',
  rawRetentionDays: 0,
  aggregateRetentionDays: 0,
  compressAfterDays: 7
}

/**
 * Creates an empty database (migrated unless `migrated: false`) with a unique name. With
 * `timescale`, the migrated database also gets the TimescaleDB layer, as open-database.ts applies it.
 */
export async function createTestDatabase(
  options: { migrated?: boolean; timescale?: TimescaleOptions } = {}
): Promise<TestDatabase> {
  const name = uniqueName('cvtest').replaceAll('-', '_')
  await admin(client => client.query(`create database ${name}`))
  const url = databaseUrl(name)
  const db = new PostgresDatabase({ url, log: silentLogger(), poolSize: 5 })
  try {
    if (options.migrated !== false) await migrate(db)
    if (options.migrated !== false && options.timescale !== undefined) {
      await applyTimescaleLayer(db, options.timescale)
    }
  } catch (error) {
    await db.close().catch(() => undefined)
    await admin(client => client.query(`drop database if exists ${name} with (force)`))
    throw error
  }
  return {
    name,
    url,
    db,
    async drop() {
      await db.close().catch(() => undefined)
      await admin(client => client.query(`drop database if exists ${name} with (force)`))
    }
  }
}

/** Trade rows stored, and distinct trades among them: both equal the trades sent when each is stored once. */
export async function storedTrades(db: Queryable): Promise<{ rows: number; ids: number }> {
  const { rows } = await db.query<{ rows: number; ids: number }>(
    'select count(*) as rows, count(distinct (symbol, trade_id)) as ids from trades'
  )
  return rows[0] ?? { rows: -1, ids: -1 }
}

const ci = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI)

/**
 * Why the test server cannot run TimescaleDB (not installed, or not preloaded), with the command
 * that fixes it; undefined when it can.
 */
export async function timescaleUnavailable(): Promise<string | undefined> {
  const db = new PostgresDatabase({ url: adminUrl, log: silentLogger(), poolSize: 1 })
  try {
    const support = await readTimescaleSupport(db)
    if (support.available && support.preloaded) return undefined
    return (
      `the test server has TimescaleDB ${support.available ? 'installed but not preloaded' : 'not installed'}: ` +
      'run TIMESCALEDB_SOURCE=path/to/timescaledb-2.28.3.tar.gz scripts/infra.sh install, then ' +
      'scripts/infra.sh start postgres (it restarts a server started without the preload)'
    )
  } finally {
    await db.close()
  }
}

/**
 * Stands for the TimescaleDB tests of a file on a server without it: under CI it fails with the fix
 * (a CI run tests both kinds of database); elsewhere it is skipped with the same reason.
 */
export function testWithoutTimescale(name: string, reason: string): void {
  if (ci) {
    test(name, () => {
      assert.fail(`${reason} (CI runs the TimescaleDB tests; they are skipped only outside CI)`)
    })
  } else {
    test(name, { skip: reason }, () => undefined)
  }
}
