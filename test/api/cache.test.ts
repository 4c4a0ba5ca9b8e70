import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { RedisLiveEvents } from '../../src/live-events/redis-live-events.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { type TestApi, getJson, startTestApi, testRedisUrl } from '../helpers/api.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { announce, insertTicker, uniqueSymbol, upsertCandle } from '../helpers/seed.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'
import { waitFor } from '../helpers/wait.ts'

interface CandlesBody {
  candles: { bucket: string; close: string }[]
}

const BOUND_MS = 1_000
let database: TestDatabase
let api: TestApi
const writer = new RedisLiveEvents(testRedisUrl, silentLogger())

before(async () => {
  database = await createTestDatabase()
  api = await startTestApi({ db: database.db, env: { CACHE_MAX_STALENESS_MS: String(BOUND_MS) } })
})

after(async () => {
  await api?.close()
  await writer.close()
  await database?.drop()
})

async function cacheCount(target: TestApi, result: string): Promise<number> {
  const text = await target.metrics.metrics()
  const lines = text
    .split('\n')
    .filter(l => l.startsWith('cryptoviz_api_cache_requests_total') && l.includes(`result="${result}"`))
  return lines.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0)
}

const closes = async (target: TestApi, symbol: string): Promise<string[]> =>
  (await getJson<CandlesBody>(target.url, `/api/candles?symbol=${symbol}&interval=1m`)).body.candles.map(
    c => c.close
  )

test('a new candle is visible through the cached endpoint as soon as its live event is heard', async () => {
  const symbol = uniqueSymbol()
  await upsertCandle(database.db, { symbol, interval: '1m', bucket: '2026-11-25T14:00:00Z', close: '1.0' })
  assert.deepEqual(await closes(api, symbol), ['1.0'])
  const hits = (await cacheCount(api, 'hit')) + (await cacheCount(api, 'local_hit'))
  assert.deepEqual(await closes(api, symbol), ['1.0'])
  assert.equal(
    (await cacheCount(api, 'hit')) + (await cacheCount(api, 'local_hit')),
    hits + 1,
    'the second read was a cache hit'
  )
  await upsertCandle(database.db, { symbol, interval: '1m', bucket: '2026-11-25T14:01:00Z', close: '2.0' })
  const stored = Date.now()
  await announce(writer, [
    { channel: 'candles', key: symbol, interval: '1m', data: { bucket: '2026-11-25T14:01:00Z' } }
  ])
  await waitFor(
    'the new candle through the API',
    async () => (await closes(api, symbol)).includes('2.0'),
    BOUND_MS,
    10
  )
  assert.ok(Date.now() - stored <= BOUND_MS, 'visible within the bound')
})

test('even when the invalidation is missed, a cached answer is never older than the bound', async () => {
  const symbol = uniqueSymbol()
  await upsertCandle(database.db, { symbol, interval: '1m', bucket: '2026-11-25T14:00:00Z', close: '1.0' })
  assert.deepEqual(await closes(api, symbol), ['1.0'])
  const updated = Date.now()
  await upsertCandle(database.db, { symbol, interval: '1m', bucket: '2026-11-25T14:00:00Z', close: '1.5' })
  // No live event: only the bound can refresh it. Right after the write, the cache still answers.
  assert.deepEqual(await closes(api, symbol), ['1.0'], 'served from the cache')
  // Every request that still got the old answer must have started within the bound after the write
  // (the bound counts from the start of the read that filled the cache, which preceded the write);
  // measuring request starts keeps the check independent of how long answers take on a busy machine.
  let lastStaleStart = updated
  await waitFor(
    'the updated candle',
    async () => {
      const started = Date.now()
      if ((await closes(api, symbol)).includes('1.5')) return true
      lastStaleStart = started
      return false
    },
    BOUND_MS * 5,
    20
  )
  assert.ok(
    lastStaleStart - updated <= BOUND_MS,
    `an old answer was served to a request started ${lastStaleStart - updated} ms after the write`
  )
  assert.ok(lastStaleStart > updated, 'the cache did serve the old answer for a while')
})

test('a new ticker invalidates the cached symbol list', async () => {
  const symbol = uniqueSymbol()
  await insertTicker(database.db, symbol, '2026-11-25T14:00:00Z', '10')
  const last = async (): Promise<string | undefined> =>
    (
      await getJson<{ symbols: { symbol: string; ticker: { last: string } | null }[] }>(
        api.url,
        '/api/symbols'
      )
    ).body.symbols.find(s => s.symbol === symbol)?.ticker?.last
  await waitFor('the first ticker', async () => (await last()) === '10', BOUND_MS * 3, 20)
  await insertTicker(database.db, symbol, '2026-11-25T14:00:01Z', '11')
  await announce(writer, [{ channel: 'tickers', key: symbol, data: { last: '11' } }])
  const stored = Date.now()
  await waitFor('the new ticker', async () => (await last()) === '11', BOUND_MS, 10)
  assert.ok(Date.now() - stored <= BOUND_MS)
})

test('with Redis stopped mid-run, reads keep working from the database, and the cache comes back with Redis', async () => {
  const proxy = await startTcpProxy({ targetPort: Number(new URL(testRedisUrl).port || 6379) })
  const viaProxy = `redis://127.0.0.1:${proxy.port}`
  const degraded = await startTestApi({ db: database.db, redisUrl: viaProxy })
  const symbol = uniqueSymbol()
  try {
    await upsertCandle(database.db, { symbol, interval: '1m', bucket: '2026-11-25T14:00:00Z', close: '7.0' })
    await insertTicker(database.db, symbol, '2026-11-25T14:00:00Z', '7')
    assert.deepEqual(await closes(degraded, symbol), ['7.0'])
    await proxy.cut()
    await upsertCandle(database.db, { symbol, interval: '1m', bucket: '2026-11-25T14:01:00Z', close: '8.0' })
    for (let i = 0; i < 5; i++) {
      // A window not cached before: only the database can answer it.
      const { status, body } = await getJson<CandlesBody>(
        degraded.url,
        `/api/candles?symbol=${symbol}&interval=1m&limit=${5 + i}`
      )
      assert.equal(status, 200)
      assert.deepEqual(
        body.candles.map(c => c.close),
        ['7.0', '8.0']
      )
    }
    const symbols = await getJson<{ symbols: { symbol: string }[] }>(degraded.url, '/api/symbols')
    assert.equal(symbols.status, 200)
    assert.ok(symbols.body.symbols.some(s => s.symbol === symbol))
    assert.ok((await cacheCount(degraded, 'error')) >= 5, 'cache failures are counted')
    const ready = await getJson<{ status: string }>(degraded.url, '/health/ready')
    assert.equal(ready.status, 200, 'a missing cache does not make the API unready')
    // The detailed report (the ops port's /health/ready) says why.
    assert.equal(degraded.health.report().checks.cache?.status, 'degraded')
    await proxy.restore()
    let attempt = 0
    await waitFor(
      'the cache to work again',
      async () => {
        await closes(degraded, symbol)
        await getJson(degraded.url, `/api/candles?symbol=${symbol}&interval=1m&limit=${50 + attempt++}`)
        return degraded.health.report().checks.cache?.status === 'up'
      },
      15_000,
      200
    )
  } finally {
    await degraded.close()
    await proxy.close()
  }
})
