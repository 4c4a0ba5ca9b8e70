import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { isCryptoVizError } from '../../src/errors/errors.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { PostgresDatabase } from '../../src/store/postgres/postgres-database.ts'
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'
import { waitFor } from '../helpers/wait.ts'

let database: TestDatabase
before(async () => {
  database = await createTestDatabase()
})
after(() => database.drop())

test('numerics come back as exact text, times with their microseconds, counts as numbers', async () => {
  const { rows } = await database.db.query<{ price: string; ts: string; n: number }>(
    "select 30243.40000::numeric as price, '2023-07-06 18:53:17.827736+00'::timestamptz as ts, count(*) as n from generate_series(1, 3)"
  )
  assert.deepEqual(rows[0], { price: '30243.40000', ts: '2023-07-06T18:53:17.827736Z', n: 3 })
})

test('a transaction that throws leaves nothing behind', async () => {
  const { db } = database
  await db.query('create table tx_probe (x int)')
  await assert.rejects(
    db.transaction(async tx => {
      await tx.query('insert into tx_probe values (1)')
      throw new Error('boom')
    }),
    /boom/
  )
  const { rows } = await db.query<{ n: number }>('select count(*) as n from tx_probe')
  assert.equal(rows[0]?.n, 0)
})

test('a bad statement is a query error naming the SQLSTATE, not a retryable one', async () => {
  await assert.rejects(database.db.query('select * from missing_table'), (error: unknown) => {
    assert.ok(isCryptoVizError(error, 'CV_ERR_DB_QUERY'))
    assert.equal(error.retryable, false)
    assert.match(error.message, /SQLSTATE 42P01/)
    return true
  })
})

test('a database that goes away gives retryable unavailable errors, and queries work again when it returns', async () => {
  const target = new URL(database.url)
  const proxy = await startTcpProxy({ targetPort: Number(target.port || 5432) })
  const viaProxy = new URL(database.url)
  viaProxy.port = String(proxy.port)
  const db = new PostgresDatabase({ url: viaProxy.toString(), log: silentLogger(), poolSize: 2 })
  try {
    assert.equal((await db.query<{ one: number }>('select 1 as one')).rows[0]?.one, 1)
    await proxy.cut()
    await assert.rejects(db.query('select 1'), (error: unknown) => {
      assert.ok(isCryptoVizError(error, 'CV_ERR_DB_UNAVAILABLE'), String(error))
      assert.equal(error.retryable, true)
      return true
    })
    await proxy.restore()
    await waitFor(
      'the database to answer again',
      () =>
        db.query('select 1').then(
          () => true,
          () => false
        ),
      15_000,
      200
    )
  } finally {
    await db.close().catch(() => undefined)
    await proxy.close()
  }
})
