import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { ErrorCodes } from '../../../src/errors/errors.ts'
import { createMetricsRegistry } from '../../../src/ops/metrics.ts'
import { startFakeKraken } from '../../../src/sim/kraken/fake-kraken-server.ts'
import { SyntheticMarket } from '../../../src/sim/kraken/synthetic-market.ts'
import { KrakenWsClient } from '../../../src/sources/kraken/ws-client.ts'
import { createProducerMetrics } from '../../../src/sources/producer-metrics.ts'
import { startMarketHarness, total } from '../../helpers/market-harness.ts'
import { waitFor } from '../../helpers/wait.ts'

test('a connection gone silent (no heartbeat, no pong) is recycled by the watchdog and everything is resubscribed', async () => {
  const h = await startMarketHarness({ kraken: { watchdogMs: 300 }, tuning: { pongTimeoutMs: 300 } })
  const market = h.market as SyntheticMarket
  try {
    await waitFor('subscribed', () => h.producer.status().subscribed === 4)
    h.server.faults.silence()
    await waitFor(
      'a new connection',
      () => h.producer.status().connections === 2 && h.producer.status().subscribed === 4
    )
    assert.equal(await total(h.metrics.watchdogTimeouts), 1)
    const trade = market.emitTrades('BTC/USD', 1).at(-1)
    await waitFor('data again', () => h.producer.lastTradeId('BTC/USD') === trade?.id)
  } finally {
    await h.stop()
  }
})

test('heartbeats without data raise a staleness alarm per stream and a resubscribe brings the data back, on the same connection', async () => {
  const h = await startMarketHarness({ kraken: { staleAfterMs: 400, watchdogMs: 2_000 } })
  const market = h.market as SyntheticMarket
  try {
    await waitFor('subscribed', () => h.producer.status().subscribed === 4)
    h.server.faults.heartbeatOnly()
    const stop = setInterval(() => market.emitTrades('BTC/USD', 1), 50)
    try {
      await waitFor('alarms for the silent streams', async () => (await total(h.metrics.staleAlarms)) >= 2)
      const last = market.history.last('BTC/USD')?.id ?? 0
      await waitFor('trades flowing again', () => (h.producer.lastTradeId('BTC/USD') ?? 0) > last)
    } finally {
      clearInterval(stop)
    }
    assert.equal(h.producer.status().connections, 1, 'no reconnect was needed')
    const resubscribed = h.server.stats().requests.filter(r => r.method === 'unsubscribe')
    assert.ok(resubscribed.length >= 2)
  } finally {
    await h.stop()
  }
})

test('when every stream stays silent after resubscribing, the connection is recycled', async () => {
  const h = await startMarketHarness({
    symbols: ['BTC/USD'],
    kraken: { staleAfterMs: 300, channels: ['trade'] }
  })
  try {
    await waitFor('subscribed', () => h.producer.status().subscribed === 1)
    // No trades at all: the trade stream is stale, a resubscribe does not help, so the socket goes.
    await waitFor('a new connection', () => h.producer.status().connections >= 2)
    assert.ok((await total(h.metrics.staleAlarms)) >= 1)
  } finally {
    await h.stop()
  }
})

test('a rejected subscription is surfaced (status, metric) and the other streams carry on', async () => {
  const h = await startMarketHarness({ symbols: ['BTC/USD', 'NOPE/USD'] })
  const market = h.market as SyntheticMarket
  try {
    h.server.faults.rejectSymbols(['NOPE/USD'])
    h.server.faults.drop({ code: 1001 })
    await waitFor('rejections', () => h.producer.status().rejected.length === 2)
    assert.deepEqual(h.producer.status().rejected.sort(), [
      'ticker:NOPE/USD (Currency pair not supported NOPE/USD)',
      'trade:NOPE/USD (Currency pair not supported NOPE/USD)'
    ])
    assert.equal(await total(h.metrics.subscriptionRejections), 2)
    const trade = market.emitTrades('BTC/USD', 1).at(-1)
    await waitFor('BTC/USD still streams', () => h.producer.lastTradeId('BTC/USD') === trade?.id)
  } finally {
    await h.stop()
  }
})

test('a bad book checksum resubscribes that one symbol, not the connection, and the fresh snapshot resyncs it', async () => {
  // Trades too: a trade frame after the book updates shows when the client has read all of them.
  const h = await startMarketHarness({ kraken: { channels: ['book', 'trade'] } })
  const market = h.market as SyntheticMarket
  try {
    await waitFor('subscribed', () => h.producer.status().subscribed === 4)
    h.server.faults.corruptChecksum('BTC/USD')
    market.emitTrades('BTC/USD', 1)
    await waitFor('the mismatch', async () => (await total(h.metrics.checksumFailures)) === 1)
    await waitFor('resubscribed', () => h.producer.status().subscribed === 4)
    const requests = h.server.stats().requests.filter(r => r.method !== 'ping')
    const after = requests.slice(-2)
    assert.deepEqual(
      after.map(r => [r.method, r.params.channel, r.params.symbol]),
      [
        ['unsubscribe', 'book', ['BTC/USD']],
        ['subscribe', 'book', ['BTC/USD']]
      ]
    )
    assert.equal(after[0]?.params.depth, '10', 'unsubscribe echoes the depth')
    for (let i = 0; i < 10; i++) market.emitTrades('BTC/USD', 1)
    // One order more: its trade frame follows every book update of the ten on the same socket.
    const marker = market.emitTrades('BTC/USD', 1)[0]
    await waitFor('the frames after the ten updates', () => h.producer.lastTradeId('BTC/USD') === marker?.id)
    assert.equal(await total(h.metrics.checksumFailures), 1, 'the resynced book verifies again')
    assert.equal(h.producer.status().connections, 1)
    assert.ok(
      (await h.metrics.marketEvents.get()).values.some(v => v.labels.channel === 'book' && v.value > 2)
    )
  } finally {
    await h.stop()
  }
})

test('malformed frames are counted and skipped; the stream goes on', async () => {
  const h = await startMarketHarness()
  const market = h.market as SyntheticMarket
  try {
    await waitFor('subscribed', () => h.producer.status().subscribed === 4)
    h.server.faults.sendMalformed()
    const trade = market.emitTrades('ETH/USD', 1).at(-1)
    await waitFor('later trades still published', () => h.producer.lastTradeId('ETH/USD') === trade?.id)
    assert.equal(await total(h.metrics.malformed), 3)
    assert.equal(h.producer.status().connections, 1)
  } finally {
    await h.stop()
  }
})

test('"Exceeded msg rate" on a subscribe is retried after the ack timeout', async () => {
  const h = await startMarketHarness({ tuning: { ackTimeoutMs: 300 } })
  try {
    await waitFor('subscribed', () => h.producer.status().subscribed === 4)
    h.server.faults.wsRateLimit(1)
    h.server.faults.drop({ code: 1001 })
    await waitFor(
      'subscribed again after the retry',
      () => h.producer.status().connections === 2 && h.producer.status().subscribed === 4
    )
    const subscribes = h.server.stats().requests.filter(r => r.method === 'subscribe')
    assert.equal(subscribes.length, 5, 'two channels twice, plus one retry')
  } finally {
    await h.stop()
  }
})

test('maintenance status shows in metrics and status, and online again clears it', async () => {
  const h = await startMarketHarness()
  try {
    await waitFor('subscribed', () => h.producer.status().subscribed === 4)
    h.server.faults.maintenance(true)
    await waitFor('maintenance seen', () => h.producer.status().exchange === 'maintenance')
    assert.equal(await total(h.metrics.exchangeOnline), 0)
    h.server.faults.maintenance(false)
    await waitFor('online again', () => h.producer.status().exchange === 'online')
    assert.equal(await total(h.metrics.exchangeOnline), 1)
  } finally {
    await h.stop()
  }
})

test('the connection-attempt budget makes the client wait instead of reconnecting in a loop', async () => {
  const server = await startFakeKraken({
    market: new SyntheticMarket({ symbols: ['BTC/USD'] }),
    heartbeatMs: 100
  })
  const metrics = createProducerMetrics(createMetricsRegistry())
  // The waits the client announces when its budget is spent (an error log with its code).
  const budgetWaits: number[] = []
  const log = pino(
    { level: 'error' },
    {
      write: (line: string) => {
        const entry = JSON.parse(line) as { code?: string; waitMs?: number }
        if (entry.code === ErrorCodes.KRAKEN_CONNECT_BUDGET) budgetWaits.push(entry.waitMs ?? NaN)
      }
    }
  )
  const windowMs = 600_000
  const client = new KrakenWsClient({
    url: server.wsUrl,
    channels: [{ channel: 'trade', params: { snapshot: true } }],
    symbols: ['BTC/USD'],
    log,
    metrics,
    handlers: { onData: () => undefined },
    watchdogMs: 2_000,
    pingIntervalMs: 30_000,
    staleAfterMs: 60_000,
    backoff: { initialMs: 50, maxMs: 300 },
    connectBudget: { attempts: 2, windowMs }
  })
  client.start()
  try {
    await waitFor('subscribed', () => client.status().subscribed === 1)
    server.faults.drop({ code: 1001 })
    await waitFor('second connection', () => client.status().connections === 2)
    server.faults.drop({ code: 1001 })
    // Where a third attempt would start, the client settles into a wait for the window to slide.
    const [wait = NaN] = await waitFor(
      'the client to wait for its budget',
      () => budgetWaits.length > 0 && budgetWaits
    )
    assert.ok(wait > 0 && wait <= windowMs, `waits until the first attempt leaves the window (${wait} ms)`)
    assert.equal(server.stats().connections, 2, 'no third attempt')
    assert.equal(await total(metrics.wsConnectAttempts), 2)
    assert.equal(client.status().connected, false)
  } finally {
    await client.stop()
    await server.close()
  }
})
