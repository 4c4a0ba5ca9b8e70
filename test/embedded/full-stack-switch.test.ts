/**
 * The same command on real services: with DATABASE_URL set, `npm start` stores in PostgreSQL
 * instead of PGlite and says so; with KAFKA_SERVERS and REDIS_URL set too, it runs on the full
 * stack: records go through the broker's topics under consumer groups, and the API's cache lives in
 * Redis. (The shared broker and Redis of a test machine serve other tests too: this run uses group
 * ids and a Redis key prefix of its own, and a database of its own.)
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { Redis } from 'ioredis'
import type { PipelineStatusBody } from '../../src/api/pipeline/pipeline-status.ts'
import type { Queryable } from '../../src/store/database.ts'
import { createTestDatabase } from '../helpers/db.ts'
import { getJson, testRedisUrl } from '../helpers/api.ts'
import { uniqueName } from '../helpers/names.ts'
import { type AllProcess, startAll } from '../helpers/all-process.ts'
import { waitFor } from '../helpers/wait.ts'

/** Waits for candles from the API; a timeout says what the process printed meanwhile. */
async function candlesServed(app: AllProcess): Promise<void> {
  try {
    await waitFor(
      'candles served',
      async () =>
        (await getJson<{ candles: unknown[] }>(app.url, '/api/candles?symbol=BTC/USD&interval=1m')).body
          .candles.length > 0,
      90_000,
      500
    )
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${app.stdout()}\n${app.stderr().slice(-4_000)}`)
  }
}

async function rowsIn(db: Queryable, table: 'candles' | 'trades'): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${table}`)
  return (rows[0]?.n ?? 0) > 0
}

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
    await candlesServed(app)
    // The API serves Kraken's own candles as soon as ingest stores them; the analytics job's follow.
    await waitFor('the candles in PostgreSQL', () => rowsIn(database.db, 'candles'))
  } finally {
    assert.equal(await app.stop(), 0)
  }
  assert.match(app.stdout(), /CRYPTO VIZ · embedded bus \+ PostgreSQL \+ memory cache · replayed input/)
  assert.match(app.stdout(), /✓ database ready: PostgreSQL/)
  assert.equal(existsSync(join(home, 'data', 'embedded', 'pg')), false, 'no embedded database was created')
})

test('with KAFKA_SERVERS, DATABASE_URL and REDIS_URL set, npm start runs on the full stack: Kafka topics and groups, PostgreSQL, Redis under its key prefix', async () => {
  const home = await mkdtemp(join(tmpdir(), 'cv-full-'))
  const database = await createTestDatabase({ migrated: false })
  const redis = new Redis(testRedisUrl, { lazyConnect: true })
  after(async () => {
    redis.disconnect()
    await database.drop()
    await rm(home, { recursive: true, force: true })
  })
  const run = uniqueName('full')
  const ingestGroup = `${run}-ingest`
  const app = await startAll(join(home, 'data'), ['--replay'], {
    cwd: home,
    env: {
      KAFKA_SERVERS: process.env.TEST_KAFKA_SERVERS ?? 'localhost:9092',
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl,
      REDIS_KEY_PREFIX: run,
      INGEST_GROUP_ID: ingestGroup,
      ANALYTICS_GROUP_ID: `${run}-analytics`
    }
  })
  try {
    await candlesServed(app)
    await waitFor('the trades in PostgreSQL', () => rowsIn(database.db, 'trades'))

    // Ingest commits a batch's offsets after storing it, and the exchange's history (rawohlc) may
    // still be ahead in its queue: wait for the commit on rawtrade rather than reading it once.
    let ingest: PipelineStatusBody['kafka']['groups'][number] | undefined
    await waitFor('the ingest group to commit offsets on rawtrade', async () => {
      const status = (await getJson<PipelineStatusBody>(app.url, '/api/pipeline')).body
      ingest = status.kafka.groups.find(g => g.groupId === ingestGroup)
      return (ingest?.partitions ?? []).some(p => p.topic === 'rawtrade' && (p.committedOffset ?? 0) > 0)
    }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(ingest)}`)
    })

    // The producers and the API report what they did through their heartbeats too (here on Redis,
    // under the run's prefix), as the jobs do.
    await waitFor('the producers and the API with a last event and a throughput', async () => {
      const { stages } = (await getJson<PipelineStatusBody>(app.url, '/api/pipeline')).body
      return ['produce', 'api'].every(name => {
        const stage = stages.find(s => s.stage === name)
        return typeof stage?.lastEventAt === 'string' && (stage.throughputPerSec ?? 0) > 0
      })
    })

    // Live events fan out through Redis under the configured prefix (the cache's entries are
    // invalidated by every write while replay streams, so the channels are the steady witness).
    const heard: string[] = []
    redis.on('pmessage', (_pattern: string, channel: string) => heard.push(channel))
    await redis.connect()
    await redis.psubscribe(`${run}:live:*`)
    await waitFor('a live event on the prefixed Redis channels', () => heard.length > 0, 60_000)
    assert.ok(heard.every(channel => channel.startsWith(`${run}:live:`)))
  } finally {
    assert.equal(await app.stop(), 0)
  }
  assert.match(app.stdout(), /CRYPTO VIZ · full stack mode · replayed input/)
  assert.match(app.stdout(), /✓ database ready: PostgreSQL/)
  assert.equal(existsSync(join(home, 'data', 'embedded')), false, 'nothing embedded was created')
})
