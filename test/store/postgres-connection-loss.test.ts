import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { isCryptoVizError } from '../../src/errors/errors.ts'
import { PostgresDatabase } from '../../src/store/postgres/postgres-database.ts'
import { adminUrl } from '../helpers/db.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'
import { waitFor } from '../helpers/wait.ts'

test('a connection lost between two statements of a transaction fails it as retryable instead of crashing the process', async () => {
  const target = new URL(adminUrl)
  const proxy = await startTcpProxy({ targetPort: Number(target.port || 5432) })
  const url = new URL(adminUrl)
  url.port = String(proxy.port)
  const warnings: string[] = []
  const log = pino(
    { level: 'warn' },
    { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) }
  )
  const db = new PostgresDatabase({ url: url.toString(), log, poolSize: 1 })
  try {
    await assert.rejects(
      db.transaction(async tx => {
        await tx.query('select 1')
        // The server side goes away while the client is checked out and idle: the client emits
        // 'error' with no statement running (as on a PostgreSQL shutdown, 57P01).
        await proxy.cut()
        await waitFor(
          'the client to report its lost connection',
          () => warnings.includes('database connection lost during a transaction'),
          60_000
        )
        await tx.query('select 2')
      }),
      (error: unknown) =>
        isCryptoVizError(error, 'CV_ERR_DB_UNAVAILABLE') &&
        error.retryable &&
        // The statement was refused by a client known to be broken, not sent into the dead socket.
        /not queryable/.test(error.message)
    )
    await proxy.restore()
    assert.deepEqual((await db.query<{ n: number }>('select 3 as n')).rows, [{ n: 3 }])
  } finally {
    await db.close()
    await proxy.close()
  }
})
