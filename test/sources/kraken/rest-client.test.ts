import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { isCryptoVizError } from '../../../src/errors/errors.ts'
import { silentLogger } from '../../../src/log/logger.ts'
import { createMetricsRegistry } from '../../../src/ops/metrics.ts'
import { type FakeKraken, startFakeKraken } from '../../../src/sim/kraken/fake-kraken-server.ts'
import { SyntheticMarket } from '../../../src/sim/kraken/synthetic-market.ts'
import { fetchMissingTrades } from '../../../src/sources/kraken/gap-fill.ts'
import { tradeFromRest } from '../../../src/sources/kraken/normalize.ts'
import { KrakenRest } from '../../../src/sources/kraken/rest-client.ts'
import { createProducerMetrics } from '../../../src/sources/producer-metrics.ts'

let server: FakeKraken
let market: SyntheticMarket
const metrics = createProducerMetrics(createMetricsRegistry())

before(async () => {
  market = new SyntheticMarket({ symbols: ['BTC/USD'], seed: 5, historyMinutes: 120 })
  server = await startFakeKraken({ market })
})
after(() => server.close())

const client = (minIntervalMs = 0) =>
  new KrakenRest({ baseUrl: server.restUrl, minIntervalMs, log: silentLogger(), metrics, retryInitialMs: 10 })

test('Trades pages through the whole history with the ns cursor, contiguous ids, no repeats', async () => {
  const rest = client()
  const ids: number[] = []
  let since = '0'
  for (;;) {
    const page = await rest.trades('BTC/USD', since)
    ids.push(...page.rows.map(row => tradeFromRest(row, 'BTC/USD', '2026-01-01T00:00:00Z').tradeId))
    if (page.rows.length === 0 || page.last === since) break
    since = page.last
  }
  const history = market.history.all('BTC/USD').map(t => t.id)
  assert.ok(history.length > 1000, 'more than one page')
  assert.deepEqual(ids, history)
})

test('errors that arrive with HTTP 200 in error[] fail with Kraken’s own message; rate limits are retried', async () => {
  await assert.rejects(client().trades('NOPE/USD'), (error: unknown) => {
    assert.ok(isCryptoVizError(error, 'CV_ERR_KRAKEN_REST'))
    assert.match(error.message, /EQuery:Unknown asset pair/)
    return true
  })
  server.faults.restRateLimit(2, 'envelope')
  const page = await client().trades('XBTUSD', '0', 5)
  assert.equal(page.rows.length, 5, 'answered after two rate-limited attempts (XBTUSD resolves to BTC/USD)')
  server.faults.restRateLimit(1, 'http')
  assert.equal((await client().ohlc('BTC/USD', 1)).rows.length > 100, true)
  const outcomes = (await metrics.restRequests.get()).values.filter(v => v.labels.outcome === 'rate_limited')
  assert.equal(
    outcomes.reduce((n, v) => n + v.value, 0),
    3
  )
})

test('a persistent rate limit gives up after the attempt budget with a rate-limit error', async () => {
  server.faults.restRateLimit(100)
  try {
    const rest = new KrakenRest({
      baseUrl: server.restUrl,
      minIntervalMs: 0,
      log: silentLogger(),
      maxAttempts: 3,
      retryInitialMs: 5
    })
    await assert.rejects(rest.systemStatus(), (error: unknown) =>
      isCryptoVizError(error, 'CV_ERR_KRAKEN_RATE_LIMITED')
    )
  } finally {
    server.faults.reset()
  }
})

test('calls are spaced by the minimum interval', async () => {
  const rest = client(100)
  const started = Date.now()
  await Promise.all([rest.systemStatus(), rest.systemStatus(), rest.systemStatus()])
  assert.ok(Date.now() - started >= 200)
})

test('OHLC keeps at most 720 candles and says which one was last committed', async () => {
  const page = await client().ohlc('BTC/USD', 1)
  assert.ok(page.rows.length <= 720 && page.rows.length >= 100)
  const lastRow = page.rows.at(-1) as string[]
  assert.ok(Number(lastRow[0]) > page.last, 'the final row is the forming candle')
})

test('a gap fill returns exactly the missing ids, walking pages by time', async () => {
  const all = market.history.all('BTC/USD')
  const afterTrade = all[100]
  const beforeTrade = all[1600]
  assert.ok(afterTrade && beforeTrade)
  const trades = await fetchMissingTrades(
    client(),
    { symbol: 'BTC/USD', after: afterTrade.id, afterTs: afterTrade.ts, before: beforeTrade.id },
    { maxPages: 10, onMalformed: () => assert.fail('no malformed rows expected') }
  )
  assert.deepEqual(
    trades.map(t => t.tradeId),
    all.slice(101, 1600).map(t => t.id)
  )
  assert.ok(trades.every(t => t.source === 'rest'))
})
