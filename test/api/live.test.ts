import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { RedisLiveEvents } from '../../src/live-events/redis-live-events.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { type TestApi, startTestApi, testRedisUrl } from '../helpers/api.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { announce, insertTrades, uniqueSymbol } from '../helpers/seed.ts'
import { connect, subscribe } from '../helpers/ws-client.ts'

let database: TestDatabase
let first: TestApi
let second: TestApi
const writer = new RedisLiveEvents(testRedisUrl, silentLogger())

before(async () => {
  database = await createTestDatabase()
  first = await startTestApi({ db: database.db })
  second = await startTestApi({ db: database.db })
})

after(async () => {
  await Promise.all([first?.close(), second?.close()])
  await writer.close()
  await database?.drop()
})

async function storeTrade(symbol: string, tradeId: number): Promise<number> {
  const time = new Date().toISOString()
  await insertTrades(database.db, [{ symbol, tradeId, time, price: '91000.12345' }])
  const storedAt = Date.now()
  await announce(writer, [
    {
      channel: 'trades',
      key: symbol,
      data: [{ symbol, tradeId, time, price: '91000.12345', qty: '0.25', side: 'buy' }]
    }
  ])
  return storedAt
}

test('a live client receives a trade within a second of its being stored, and so does a client of a second instance', async () => {
  const symbol = uniqueSymbol()
  const a = await connect(first.wsUrl)
  const b = await connect(second.wsUrl)
  try {
    await subscribe(a, [`trades:${symbol}`])
    await subscribe(b, ['trades'])
    const storedAt = await storeTrade(symbol, 42)
    const isTrade = (m: { type: string; key?: unknown }): boolean => m.type === 'event' && m.key === symbol
    const [atA, atB] = await Promise.all([a.next(isTrade, 1_000), b.next(isTrade, 1_000)])
    for (const message of [atA, atB]) {
      assert.deepEqual((message.data as { tradeId: number }[])[0]?.tradeId, 42)
      assert.equal(typeof message.storedAt, 'string')
    }
    assert.equal(atA.channel, `trades:${symbol}`)
    assert.equal(atB.channel, 'trades')
    assert.ok(Date.now() - storedAt < 1_000)
  } finally {
    await Promise.all([a.close(), b.close()])
  }
})

test('a client only gets the channels it subscribed to, and nothing after unsubscribing', async () => {
  const symbol = uniqueSymbol()
  const client = await connect(first.wsUrl)
  try {
    await subscribe(client, [`candles:${symbol}:1m`])
    await announce(writer, [
      { channel: 'candles', key: symbol, interval: '5m', data: { bucket: 'a' } },
      { channel: 'trades', key: symbol, data: [] },
      { channel: 'candles', key: symbol, interval: '1m', data: { bucket: 'b' } }
    ])
    const event = await client.next(m => m.type === 'event')
    assert.equal(event.channel, `candles:${symbol}:1m`)
    assert.equal(event.interval, '1m')
    assert.deepEqual(event.data, { bucket: 'b' })
    client.send({ op: 'unsubscribe', channels: [`candles:${symbol}:1m`], id: 'u1' })
    const ack = await client.next(m => m.id === 'u1')
    assert.equal(ack.type, 'unsubscribed')
    assert.deepEqual(ack.subscriptions, [])
    await announce(writer, [{ channel: 'candles', key: symbol, interval: '1m', data: { bucket: 'c' } }])
    client.send({ op: 'ping', id: 'p1' })
    await client.next(m => m.type === 'pong' && m.id === 'p1')
    // A marker event on another channel proves the server handled the candle event before it.
    await subscribe(client, ['alerts'])
    await announce(writer, [{ channel: 'alerts', key: symbol, data: { id: 'marker' } }])
    await client.next(m => m.type === 'event' && m.channel === 'alerts')
    assert.equal(
      client.messages.filter(m => m.type === 'event' && m.channel?.startsWith('candles')).length,
      1
    )
  } finally {
    await client.close()
  }
})

test('the welcome message states the protocol, and bad messages and channels get errors, not silence', async () => {
  const client = await connect(first.wsUrl)
  try {
    const welcome = await client.next(m => m.type === 'welcome')
    assert.equal(welcome.protocol, 1)
    assert.ok((welcome.channels as string[]).includes('candles:<SYMBOL>:<INTERVAL>'))
    client.send({ op: 'subscribe', channels: ['trades:BTC/USD', 'candles:BTC/USD:7m'], id: 1 })
    const bad = await client.next(m => m.id === 1)
    assert.equal(bad.type, 'error')
    assert.equal(bad.error, 'bad_channel')
    assert.equal(bad.channel, 'candles:BTC/USD:7m')
    assert.match(String(bad.message), /interval/)
    client.send({ op: 'subscribe', channels: ['weather'], id: 2 })
    assert.match(String((await client.next(m => m.id === 2)).message), /unknown channel "weather"/)
    client.socket.send('not json')
    assert.equal((await client.next(m => m.error === 'bad_message')).type, 'error')
    client.send({ op: 'dance', id: 3 })
    assert.equal((await client.next(m => m.id === 3)).error, 'bad_message')
    client.send({ op: 'ping', id: 4 })
    const pong = await client.next(m => m.id === 4)
    assert.equal(pong.type, 'pong')
    const stillNothing = client.messages.filter(m => m.type === 'subscribed')
    assert.equal(stillNothing.length, 0, 'a subscribe with a bad channel subscribes to none')
  } finally {
    await client.close()
  }
})

test('a plain HTTP GET of the stream is told to upgrade', async () => {
  const response = await fetch(`${first.url}/api/stream`)
  assert.equal(response.status, 426)
  assert.match(((await response.json()) as { message: string }).message, /WebSocket/)
})

test('a client that stops reading is dropped when its queue passes the bound, and the others still get every event', async () => {
  const small = await startTestApi({ db: database.db, env: { LIVE_MAX_BUFFERED_BYTES: '65536' } })
  const symbol = uniqueSymbol()
  const slow = await connect(small.wsUrl)
  const fast = await connect(small.wsUrl)
  try {
    await subscribe(slow, [`trades:${symbol}`])
    await subscribe(fast, [`trades:${symbol}`])
    slow.socket.pause()
    const blob = 'x'.repeat(256 * 1024)
    for (let i = 0; i < 60; i++)
      await announce(writer, [{ channel: 'trades', key: symbol, data: { i, blob } }])
    await fast.next(m => m.type === 'event' && (m.data as { i: number }).i === 59, 60_000)
    assert.equal(fast.messages.filter(m => m.type === 'event').length, 60)
    slow.socket.resume()
    const closed = await slow.closed
    assert.ok(closed.code === 4001 || closed.code === 1006, `closed with ${closed.code}`)
    const metrics = await small.metrics.metrics()
    assert.match(metrics, /cryptoviz_api_live_clients_dropped_total\{reason="slow"\} 1/)
  } finally {
    await Promise.all([slow.close(), fast.close()])
    await small.close()
  }
})
