import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { isCryptoVizError } from '../../src/errors/errors.ts'
import { migrate } from '../../src/store/migrator.ts'
import { PgliteDatabase } from '../../src/store/pglite/pglite-database.ts'
import { databaseContract } from './database-contract.ts'

databaseContract('pglite', async () => {
  const db = await PgliteDatabase.open()
  return { db, cleanup: () => db.close() }
})

test('pglite: data persists in its folder across a close and reopen, and a second opener is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pglite-'))
  try {
    const first = await PgliteDatabase.open(dir)
    await migrate(first)
    await first.query(
      `insert into alerts (id, rule, kind, symbol, severity, title, message, value, threshold, event_ts, raised_at)
       values ('x', 'r', 'price_move', 'BTC/USD', 'info', 't', 'm', 1, 1, now(), now())`
    )
    await first.close()
    const second = await PgliteDatabase.open(dir)
    try {
      const { rows } = await second.query<{ id: string }>('select id from alerts')
      assert.deepEqual(rows, [{ id: 'x' }])
      assert.deepEqual((await migrate(second)).applied, [])
      // the lock file names this process, so another process would be refused; simulate one:
      const { writeFileSync } = await import('node:fs')
      writeFileSync(join(dir, 'crypto-viz.lock'), String(process.ppid))
      await assert.rejects(PgliteDatabase.open(dir), (error: unknown) => {
        assert.ok(isCryptoVizError(error, 'CV_ERR_DB_UNAVAILABLE'))
        assert.match(error.message, /in use by process/)
        return true
      })
    } finally {
      await second.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
