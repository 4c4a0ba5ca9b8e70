import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isCryptoVizError } from '../../src/errors/errors.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { PostgresDatabase } from '../../src/store/postgres/postgres-database.ts'
import { adminUrl } from '../helpers/db.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'

test('a connection lost between two statements of a transaction fails it as retryable instead of crashing the process', async () => {
  const target = new URL(adminUrl)
  const proxy = await startTcpProxy({ targetPort: Number(target.port || 5432) })
  const url = new URL(adminUrl)
  url.port = String(proxy.port)
  const db = new PostgresDatabase({ url: url.toString(), log: silentLogger(), poolSize: 1 })
  try {
    await assert.rejects(
      db.transaction(async tx => {
        await tx.query('select 1')
        // The server side goes away while the client is checked out and idle: the client emits
        // 'error' with no statement running (as on a PostgreSQL shutdown, 57P01).
        await proxy.cut()
        await new Promise(resolve => setTimeout(resolve, 300))
        await tx.query('select 2')
      }),
      (error: unknown) => isCryptoVizError(error, 'CV_ERR_DB_UNAVAILABLE') && error.retryable
    )
    await proxy.restore()
    assert.deepEqual((await db.query<{ n: number }>('select 3 as n')).rows, [{ n: 3 }])
  } finally {
    await db.close()
    await proxy.close()
  }
})
