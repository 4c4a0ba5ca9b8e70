import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { after, test } from 'node:test'
import { isCryptoVizError } from '../../src/errors/errors.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { loadMigrations, migrate, pendingMigrations } from '../../src/store/migrator.ts'
import { PostgresDatabase } from '../../src/store/postgres/postgres-database.ts'
import { hypertables, timescaleStatements } from '../../src/store/timescale/timescale-layer.ts'
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts'

const created: TestDatabase[] = []
after(() => Promise.all(created.map(d => d.drop())))

async function fresh(): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrated: false })
  created.push(database)
  return database
}

const all = loadMigrations().map(m => m.name)

test('migrate applies every migration to an empty database, and a second run applies nothing', async () => {
  const { db } = await fresh()
  assert.deepEqual(all.slice(0, 2), ['001_core.sql', '002_jobs.sql'])
  assert.deepEqual(await pendingMigrations(db), all)
  const first = await migrate(db)
  assert.deepEqual(first.applied, all)
  const second = await migrate(db)
  assert.deepEqual(second, { applied: [], alreadyApplied: all })
  assert.deepEqual(await pendingMigrations(db), [])
  const { rows } = await db.query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'public' order by 1"
  )
  const tables = rows.map(r => r.table_name)
  for (const table of [
    'trades',
    'tickers',
    'articles',
    'article_coins',
    'candles',
    'indicators',
    'alerts',
    'job_state'
  ]) {
    assert.ok(tables.includes(table), `table ${table}`)
  }
})

test('two instances migrating at once apply each migration exactly once', async () => {
  const { db, url } = await fresh()
  const other = new PostgresDatabase({ url, log: silentLogger() })
  try {
    const [a, b] = await Promise.all([migrate(db), migrate(other)])
    assert.deepEqual([...a.applied, ...b.applied].sort(), all)
  } finally {
    await other.close()
  }
})

test('editing a migration after it was applied is refused with an actionable error', async () => {
  const { db } = await fresh()
  await migrate(db)
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'))
  cpSync(new URL('../../src/store/migrations/', import.meta.url), dir, { recursive: true })
  writeFileSync(join(dir, '001_core.sql'), '-- edited\n' + loadMigrations()[0]?.sql)
  await assert.rejects(migrate(db, loadMigrations(pathToFileURL(`${dir}/`))), (error: unknown) => {
    assert.ok(isCryptoVizError(error, 'CV_ERR_MIGRATION'))
    assert.match(error.message, /001_core\.sql was edited after it was applied/)
    return true
  })
})

test('a failing migration is rolled back whole and names the file', async () => {
  const { db } = await fresh()
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'))
  cpSync(new URL('../../src/store/migrations/', import.meta.url), dir, { recursive: true })
  writeFileSync(
    join(dir, '999_broken.sql'),
    'create table should_not_exist (x int);\nselect * from no_such_table;'
  )
  await assert.rejects(migrate(db, loadMigrations(pathToFileURL(`${dir}/`))), /999_broken\.sql failed/)
  const { rows } = await db.query<{ present: boolean }>(
    "select to_regclass('should_not_exist') is not null as present"
  )
  assert.equal(rows[0]?.present, false)
  assert.deepEqual(
    await pendingMigrations(db),
    all,
    'the earlier migrations in the same run were rolled back too'
  )
})

test('every TimescaleDB hypertable has its time column in its primary key, as hypertables require', async () => {
  const { db } = await fresh()
  await migrate(db)
  for (const { table, time } of hypertables) {
    const { rows } = await db.query<{ column_name: string }>(
      `select a.attname as column_name from pg_index i
         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = $1::regclass and i.indisprimary`,
      [table]
    )
    assert.ok(
      rows.some(r => r.column_name === time),
      `${table} primary key includes ${time}`
    )
  }
  const statements = timescaleStatements({
    mode: 'auto',
    rawRetentionDays: 30,
    aggregateRetentionDays: 0,
    compressAfterDays: 7
  })
  assert.ok(statements.some(s => s.includes("add_retention_policy('trades', interval '30 days'")))
  assert.ok(
    !statements.some(s => s.includes("add_retention_policy('candles'")),
    'aggregates kept forever when 0'
  )
})
