/** A fresh PostgreSQL database per test file (on the server the test run started), dropped afterwards. */
import pg from 'pg'
import { silentLogger } from '../../src/log/logger.ts'
import type { Queryable } from '../../src/store/database.ts'
import { PostgresDatabase } from '../../src/store/postgres/postgres-database.ts'
import { migrate } from '../../src/store/migrator.ts'
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

/** Creates an empty database (migrated unless `migrated: false`) with a unique name. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = uniqueName('cvtest').replaceAll('-', '_')
  await admin(client => client.query(`create database ${name}`))
  const url = databaseUrl(name)
  const db = new PostgresDatabase({ url, log: silentLogger(), poolSize: 5 })
  if (options.migrated !== false) await migrate(db)
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
