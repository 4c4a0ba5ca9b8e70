// TIMESCALE=auto|on against what a server says about TimescaleDB. The suite's server preloads the
// extension (or lacks it), so "installed but not preloaded" is played by a database that answers the
// support query as such a server does and records every other statement it is sent.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isCryptoVizError } from '../../src/errors/errors.ts'
import type { Database, QueryResult } from '../../src/store/database.ts'
import { applyTimescaleLayer } from '../../src/store/timescale/timescale-layer.ts'
import { type TimescaleSupport, planTimescale } from '../../src/store/timescale/timescale-support.ts'

const options = { rawRetentionDays: 0, aggregateRetentionDays: 0, compressAfterDays: 7 }
const notPreloaded: TimescaleSupport = { available: true, preloaded: false, created: false }
const notInstalled: TimescaleSupport = { available: false, preloaded: false, created: false }
const usable: TimescaleSupport = { available: true, preloaded: true, created: false }

/** A PostgreSQL database that answers the support query with `support` and records the rest. */
function serverSaying(support: TimescaleSupport): Database & { sent: string[] } {
  const sent: string[] = []
  const query = async <R>(sql: string): Promise<QueryResult<R>> => {
    if (sql.includes('pg_available_extensions')) return { rows: [support as R], rowCount: 1 }
    sent.push(sql)
    return { rows: [], rowCount: 0 }
  }
  return {
    kind: 'postgres',
    sent,
    query,
    transaction: () => Promise.reject(new Error('not used')),
    exec: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve()
  }
}

test('auto on a server where TimescaleDB is installed but not preloaded uses plain tables and says how to preload it', async () => {
  const db = serverSaying(notPreloaded)
  const report = await applyTimescaleLayer(db, { mode: 'auto', ...options })
  assert.equal(report.enabled, false)
  assert.match(report.reason, /not preloaded: plain tables/)
  assert.match(report.warning ?? '', /shared_preload_libraries = 'timescaledb'.*postgresql\.conf.*restart/)
  assert.deepEqual(db.sent, [], 'no create extension, which would end the connection')
})

test('on refuses a server where TimescaleDB is installed but not preloaded, with the same advice', async () => {
  const db = serverSaying(notPreloaded)
  await assert.rejects(applyTimescaleLayer(db, { mode: 'on', ...options }), (error: unknown) => {
    assert.ok(isCryptoVizError(error, 'CV_ERR_MIGRATION'))
    assert.match(error.message, /TIMESCALE=on.*not preloaded.*shared_preload_libraries = 'timescaledb'/)
    return true
  })
  assert.deepEqual(db.sent, [])
})

test('auto on a server without TimescaleDB uses plain tables with one warning saying how to install it', async () => {
  const report = await applyTimescaleLayer(serverSaying(notInstalled), { mode: 'auto', ...options })
  assert.equal(report.enabled, false)
  assert.match(report.warning ?? '', /not installed.*TIMESCALEDB_SOURCE=.*scripts\/infra\.sh install/)
})

test('on refuses a server without TimescaleDB', async () => {
  await assert.rejects(
    applyTimescaleLayer(serverSaying(notInstalled), { mode: 'on', ...options }),
    /TIMESCALE=on but the timescaledb extension is not installed/
  )
})

test('a database that already holds hypertables is refused even in auto when the library is not preloaded', () => {
  const plan = planTimescale('auto', { ...notPreloaded, created: true })
  assert.equal(plan.action, 'refuse')
  assert.match(plan.action === 'refuse' ? plan.message : '', /this database uses TimescaleDB.*preload/)
})

test('a server that has TimescaleDB preloaded gets the layer in auto and in on, without a warning', async () => {
  assert.deepEqual(planTimescale('auto', usable), { action: 'apply' })
  assert.deepEqual(planTimescale('on', usable), { action: 'apply' })
  const db = serverSaying(usable)
  const report = await applyTimescaleLayer(db, { mode: 'auto', ...options })
  assert.equal(report.enabled, true)
  assert.equal(report.warning, undefined)
  assert.equal(db.sent[0], 'create extension if not exists timescaledb')
})

test('off and the embedded database never ask the server', async () => {
  const db = serverSaying(usable)
  assert.equal((await applyTimescaleLayer(db, { mode: 'off', ...options })).enabled, false)
  const embedded = { ...serverSaying(usable), kind: 'pglite' as const }
  assert.equal((await applyTimescaleLayer(embedded, { mode: 'on', ...options })).enabled, false)
  assert.deepEqual(db.sent, [])
})
