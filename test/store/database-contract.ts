/**
 * The database port's contract: what every implementation (PostgreSQL, PostgreSQL with TimescaleDB,
 * PGlite) must do the same way, run by postgres-contract.test.ts and pglite-contract.test.ts.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isCryptoVizError } from '../../src/errors/errors.ts'
import type { Database } from '../../src/store/database.ts'
import { type MigrationReport, migrate as migrateOnly, pendingMigrations } from '../../src/store/migrator.ts'

export interface OpenedForTest {
  db: Database
  cleanup(): Promise<void>
}

export function databaseContract(
  name: string,
  open: () => Promise<OpenedForTest>,
  /** What follows every migration run, as in open-database.ts (the TimescaleDB layer). */
  afterMigrate: (db: Database) => Promise<unknown> = () => Promise.resolve()
): void {
  const migrate = async (db: Database): Promise<MigrationReport> => {
    const report = await migrateOnly(db)
    await afterMigrate(db)
    return report
  }
  const withDb = (title: string, body: (db: Database) => Promise<void>): void => {
    test(`${name}: ${title}`, async () => {
      const { db, cleanup } = await open()
      try {
        await body(db)
      } finally {
        await cleanup()
      }
    })
  }

  withDb('runs the migrations once, and a second run applies nothing', async db => {
    const first = await migrate(db)
    assert.ok(first.applied.includes('001_core.sql'))
    assert.deepEqual((await migrate(db)).applied, [])
    assert.deepEqual(await pendingMigrations(db), [])
  })

  withDb(
    'returns exact decimals as text, microsecond times as ISO text, counts as numbers, JSON and arrays as values',
    async db => {
      const { rows } = await db.query<Record<string, unknown>>(
        `select 0.10000000::numeric as qty, '2023-07-06 18:53:17.827736+00'::timestamptz as ts, count(*) as n,
              '{"a":[1,"x"]}'::jsonb as doc, array['BTC','ETH']::text[] as codes, true as flag
         from generate_series(1, 2)`
      )
      assert.deepEqual(rows[0], {
        qty: '0.10000000',
        ts: '2023-07-06T18:53:17.827736Z',
        n: 2,
        doc: { a: [1, 'x'] },
        codes: ['BTC', 'ETH'],
        flag: true
      })
    }
  )

  withDb('bulk upserts from arrays are idempotent on the natural key', async db => {
    await migrate(db)
    const insert = `insert into trades (symbol, trade_id, ts, price, qty, side, ord_type, received_at, source)
      select * from unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::numeric[], $5::numeric[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
      on conflict do nothing`
    const params = [
      ['BTC/USD', 'BTC/USD'],
      [1, 2],
      ['2026-01-01T00:00:00.000001Z', '2026-01-01T00:00:01.000002Z'],
      ['100.10', '100.20'],
      ['0.5', '0.25000000'],
      ['buy', 'sell'],
      ['market', 'limit'],
      ['2026-01-01T00:00:00.1Z', '2026-01-01T00:00:01.1Z'],
      ['ws', 'ws']
    ]
    assert.equal((await db.query(insert, params)).rowCount, 2)
    assert.equal((await db.query(insert, params)).rowCount, 0)
    assert.equal(
      (await db.query('select trade_id from trades')).rowCount,
      2,
      'a select counts the rows it returns'
    )
    const { rows } = await db.query<{ qty: string; ts: string }>(
      'select qty, ts from trades order by trade_id'
    )
    assert.deepEqual(rows, [
      { qty: '0.5', ts: '2026-01-01T00:00:00.000001Z' },
      { qty: '0.25000000', ts: '2026-01-01T00:00:01.000002Z' }
    ])
  })

  withDb('a transaction that throws is rolled back; one that resolves is committed', async db => {
    await db.exec('create table probe (x int)')
    await assert.rejects(
      db.transaction(async tx => {
        await tx.query('insert into probe values ($1)', [1])
        throw new Error('boom')
      }),
      /boom/
    )
    await db.transaction(async tx => {
      await tx.query('insert into probe values ($1)', [2])
    })
    const { rows } = await db.query<{ x: number }>('select x from probe')
    assert.deepEqual(rows, [{ x: 2 }])
  })

  withDb('articles are found by full-text search over title and summary', async db => {
    await migrate(db)
    await db.query(
      `insert into articles (id, source, feed_url, url, title, summary, published_at, published_at_estimated, fetched_at)
       values ('a1', 'coindesk', 'f', 'https://x/1', 'Bitcoin ETF inflows hit a record', 'Spot funds', now(), false, now()),
              ('a2', 'decrypt', 'f', 'https://x/2', 'Solana upgrade ships', 'Validators upgraded', now(), false, now())`
    )
    const { rows } = await db.query<{ id: string }>(
      "select id from articles where search @@ websearch_to_tsquery('english', $1) order by id",
      ['bitcoin etfs']
    )
    assert.deepEqual(rows, [{ id: 'a1' }])
  })

  withDb('a bad statement is a query error with its SQLSTATE', async db => {
    await assert.rejects(db.query('select * from no_such_table'), (error: unknown) => {
      assert.ok(isCryptoVizError(error, 'CV_ERR_DB_QUERY'))
      assert.match(error.message, /42P01/)
      return true
    })
  })
}
