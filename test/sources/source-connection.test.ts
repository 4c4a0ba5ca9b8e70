import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { test } from 'node:test'
import type { Bus } from '../../src/bus/bus.ts'
import { configFromEnv } from '../../src/config/config.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { createMetricsRegistry } from '../../src/ops/metrics.ts'
import { readSources } from '../../src/ops/source-status.ts'
import { startFakeKraken } from '../../src/sim/kraken/fake-kraken-server.ts'
import { SyntheticMarket } from '../../src/sim/kraken/synthetic-market.ts'
import { MarketProducer } from '../../src/sources/kraken/market-producer.ts'
import type { KrakenWsStatus } from '../../src/sources/kraken/ws-client.ts'
import type { FeedStatus } from '../../src/sources/news/feed-poller.ts'
import { krakenCheck, krakenConnection, newsConnection } from '../../src/sources/producer-health.ts'
import { createProducerMetrics } from '../../src/sources/producer-metrics.ts'
import { BufferedPublisher } from '../../src/sources/publish/buffered-publisher.ts'
import { waitFor } from '../helpers/wait.ts'

const nullBus: Bus = {
  publish: async () => undefined,
  subscribe: async () => {
    throw new Error('not used')
  },
  close: async () => undefined
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

function producerAt(wsUrl: string, restUrl: string): MarketProducer {
  const metrics = createProducerMetrics(createMetricsRegistry())
  return new MarketProducer({
    kraken: { ...configFromEnv({}).kraken, wsUrl, restUrl, symbols: ['BTC/USD'], reconnectMaxMs: 200 },
    publisher: new BufferedPublisher({ bus: nullBus, metrics, log: silentLogger(), maxRecords: 1_000 }),
    metrics,
    log: silentLogger(),
    tuning: { backoffInitialMs: 50 }
  })
}

test('a Kraken that cannot be reached is "unreachable" with the reason, and "connected" once it answers', async () => {
  const port = await freePort()
  const producer = producerAt(`ws://127.0.0.1:${port}/v2`, `http://127.0.0.1:${port}`)
  producer.start()
  const check = krakenCheck(producer, 'live')
  let server: Awaited<ReturnType<typeof startFakeKraken>> | undefined
  try {
    const down = await waitFor('the unreachable state', () => {
      const result = check()
      return readSources({ kraken: result }).kraken?.state === 'unreachable' && result
    })
    assert.equal(down.status, 'down')
    assert.match(String(readSources({ kraken: down }).kraken?.detail), /ECONNREFUSED/)
    assert.match(readSources({ kraken: down }).notice ?? '', /Kraken is unreachable .*npm start -- --replay/)
    server = await startFakeKraken({ market: new SyntheticMarket({ symbols: ['BTC/USD'] }), port })
    await waitFor(
      'the connected state',
      () => readSources({ kraken: check() }).kraken?.state === 'connected',
      10_000
    )
    assert.equal(readSources({ kraken: check() }).notice, null)
  } finally {
    await producer.stop()
    await server?.close()
  }
})

const ws = (over: Partial<KrakenWsStatus>): KrakenWsStatus => ({
  connected: false,
  connections: 0,
  exchange: 'unknown',
  lastFrameAgoMs: undefined,
  subscribed: 0,
  pending: [],
  rejected: [],
  stale: [],
  lastError: undefined,
  failedAttempts: 0,
  ...over
})

test('a connection that worked and dropped is "reconnecting", not unreachable; before any attempt it is "connecting"', () => {
  assert.equal(krakenConnection(ws({})).state, 'connecting')
  assert.equal(
    krakenConnection(ws({ connected: true, connections: 1 })).state,
    'connecting',
    'until a stream is live'
  )
  assert.equal(
    krakenConnection(ws({ connections: 3, lastError: 'closed with code 1006' })).state,
    'reconnecting'
  )
  assert.equal(
    krakenConnection(
      ws({ connections: 3, failedAttempts: 2, lastError: 'getaddrinfo EAI_AGAIN ws.kraken.com' })
    ).state,
    'unreachable',
    'DNS failing after a drop is unreachable again'
  )
  assert.deepEqual(krakenConnection(ws({ connected: true, subscribed: 12 })), {
    state: 'connected',
    detail: '12 streams live'
  })
})

const feed = (state: FeedStatus['state'], message?: string): FeedStatus => ({
  name: 'f',
  url: 'https://f/rss',
  state,
  lastPollAt: undefined,
  lastOkAt: undefined,
  lastError: message === undefined ? undefined : { kind: 'network', message, at: '' },
  consecutiveFailures: 0,
  published: 0,
  duplicates: 0,
  invalid: 0
})

test('news is judged once every feed answered: all failing on the network is unreachable, some failing degraded', () => {
  const dns = 'fetch failed: getaddrinfo ENOTFOUND www.coindesk.com'
  assert.equal(newsConnection([feed('failing', dns), feed('pending')]).state, 'connecting')
  assert.deepEqual(newsConnection([feed('failing', dns), feed('failing', dns)]), {
    state: 'unreachable',
    detail: `2/2 feeds failing, e.g. ${dns}`
  })
  assert.equal(newsConnection([feed('failing', 'HTTP 403'), feed('ok')]).state, 'degraded')
  assert.equal(newsConnection([feed('ok'), feed('ok')]).state, 'connected')
})
