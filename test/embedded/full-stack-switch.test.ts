/**
 * The same command on a real service: with DATABASE_URL set, `npm start` stores in PostgreSQL
 * instead of PGlite and says so. (Kafka and Redis are switched the same way, by mode.ts, whose
 * choices test/runtime/mode.test.ts covers; they are not started here because the pipeline's topic
 * names and cache keys are fixed, and the shared broker and Redis of a test machine serve others.)
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { createTestDatabase } from '../helpers/db.ts'
import { getJson } from '../helpers/api.ts'
import { startAll } from '../helpers/all-process.ts'
import { waitFor } from '../helpers/wait.ts'

test('with DATABASE_URL set, npm start stores in PostgreSQL and names the mix of pieces', async () => {
  const home = await mkdtemp(join(tmpdir(), 'cv-switch-'))
  const database = await createTestDatabase({ migrated: false })
  after(async () => {
    await database.drop()
    await rm(home, { recursive: true, force: true })
  })
  const app = await startAll(join(home, 'data'), ['--replay'], {
    cwd: home,
    env: { DATABASE_URL: database.url }
  })
  try {
    await waitFor(
      'candles served',
      async () =>
        (await getJson<{ candles: unknown[] }>(app.url, '/api/candles?symbol=BTC/USD&interval=1m')).body
          .candles.length > 0,
      90_000,
      500
    )
    const { rows } = await database.db.query<{ n: number }>('select count(*) as n from candles')
    assert.ok((rows[0]?.n ?? 0) > 0, 'the candles are in PostgreSQL')
  } finally {
    assert.equal(await app.stop(), 0)
  }
  assert.match(app.stdout(), /CRYPTO VIZ · embedded bus \+ PostgreSQL \+ memory cache · replayed input/)
  assert.match(app.stdout(), /✓ database ready: PostgreSQL/)
  assert.equal(existsSync(join(home, 'data', 'embedded', 'pg')), false, 'no embedded database was created')
})
