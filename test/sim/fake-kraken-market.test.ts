import assert from 'node:assert/strict'
import { test } from 'node:test'
import type WebSocket from 'ws'
import {
  type FakeKraken,
  type FakeKrakenOptions,
  startFakeKraken
} from '../../src/sim/kraken/fake-kraken-server.ts'
import type { MarketSource } from '../../src/sim/kraken/market.ts'
import { RecordedMarket } from '../../src/sim/kraken/recorded-market.ts'
import { SyntheticMarket } from '../../src/sim/kraken/synthetic-market.ts'
import { OrderBook } from '../../src/sources/kraken/book/order-book.ts'
import { openRaw } from '../helpers/raw-ws.ts'
import { waitFor } from '../helpers/wait.ts'
import { connect } from '../helpers/ws-client.ts'

const RECORDING = 'fixtures/kraken/recorded/btc-usdt-2025-11-10.ndjson'

interface BookElement {
  symbol: string
  bids: { price: string; qty: string }[]
  asks: { price: string; qty: string }[]
  checksum: string
}

/** Applies book frames as a client would; returns [expected, actual] checksum per frame. */
function verify(frames: string[], depth: number): [number, number][] {
  const book = new OrderBook('', depth)
  const results: [number, number][] = []
  for (const frame of frames.filter(f => f.startsWith('{"channel":"book"'))) {
    // Quote numbers before JSON.parse so lexemes survive, as the client does with lossless-json.
    const parsed = JSON.parse(frame.replace(/":(-?\d[\d.eE+-]*)/g, '":"$1"')) as {
      type: string
      data: BookElement[]
    }
    const data = parsed.data[0]
    if (data === undefined) continue
    if (parsed.type === 'snapshot') book.reset(data.bids, data.asks)
    else book.update(data.bids, data.asks)
    results.push([Number(data.checksum), book.checksum()])
  }
  return results
}

async function withServer(
  market: MarketSource,
  run: (server: FakeKraken) => Promise<void>,
  options: Omit<FakeKrakenOptions, 'market'> = {}
): Promise<void> {
  const server = await startFakeKraken({ market, heartbeatMs: 100, ...options })
  try {
    await run(server)
  } finally {
    await server.close()
  }
}

test('synthetic book updates keep the checksum a client computes, at depth 10 and 25, across deletes and refills', async () => {
  const market = new SyntheticMarket({ symbols: ['BTC/USD', 'DOGE/USD'], seed: 11 })
  await withServer(market, async server => {
    for (const depth of [10, 25]) {
      const ws = await openRaw(server.wsUrl)
      ws.send({ method: 'subscribe', params: { channel: 'book', symbol: ['DOGE/USD'], depth }, req_id: 1 })
      await ws.next(f => f.includes('"snapshot"') && f.includes('"channel":"book"'), { timeoutMs: 60_000 })
      for (let i = 0; i < 40; i++) {
        market.emitTrades('DOGE/USD', 1)
        market.tick(5)
      }
      await waitFor('40 updates', () => ws.frames.filter(f => f.includes('"update"')).length >= 40)
      const results = verify(ws.frames, depth)
      assert.ok(results.length > 40)
      for (const [expected, actual] of results) assert.equal(actual, expected, `depth ${depth}`)
      ws.close()
    }
  })
})

test('a recorded session replays its frames verbatim: trade lexemes and the documented book chain survive', async () => {
  const market = RecordedMarket.fromFile(RECORDING, { loop: false })
  assert.deepEqual([...market.symbols].sort(), ['BTC/USD', 'BTC/USDT'])
  await withServer(market, async server => {
    const ws = await openRaw(server.wsUrl)
    ws.send({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/USD'], depth: 10 }, req_id: 1 })
    ws.send({
      method: 'subscribe',
      params: { channel: 'trade', symbol: ['BTC/USDT'], snapshot: false },
      req_id: 2
    })
    await waitFor('acks', () => ws.frames.filter(f => f.includes('"success":true')).length === 2)
    const playedAt = Date.now()
    market.playNext(400)
    await waitFor('book frames', () => ws.frames.filter(f => f.startsWith('{"channel":"book"')).length >= 20)
    const results = verify(ws.frames, 10)
    assert.deepEqual(
      results.slice(0, 5).map(r => r[0]),
      [3310070434, 1060293189, 732005647, 1586239724, 3439491225]
    )
    for (const [expected, actual] of results) assert.equal(actual, expected)
    const firstTrade = ws.frames.find(f => f.startsWith('{"channel":"trade"')) ?? ''
    assert.match(firstTrade, /"price":105433\.60000,"qty":0\.00027625,"ord_type":"limit","trade_id":10218208/)
    const ts = /"timestamp":"([^"]+)"/.exec(firstTrade)?.[1] ?? ''
    // Moved to when it was played, plus its place in the recording (a second in): not November 2025.
    const offset = Date.parse(ts) - playedAt
    assert.ok(offset >= 0 && offset < 60_000, `retimed to now: ${ts}`)
    ws.close()
  })
})

test('a looping recording shifts trade ids on each pass so they keep increasing', () => {
  const market = RecordedMarket.fromFile(RECORDING)
  market.playNext(2271 * 2 + 10)
  const ids = market.history.all('BTC/USDT').map(t => t.id)
  assert.ok(ids.length > 2000)
  assert.ok(
    ids.every((id, i) => i === 0 || id === (ids[i - 1] ?? 0) + 1),
    'contiguous across loops'
  )
})

/**
 * Resolves when the server has answered a WebSocket-level ping on this socket. The ws library
 * answers it beneath the fake's sessions (a silenced one too), in order with everything the server
 * sent before it read the ping: once the pong is back, all of that has arrived.
 */
function roundTrip(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('pong', () => resolve())
    socket.ping(undefined, undefined, error => {
      if (error) reject(error)
    })
  })
}

test('fault switches: heartbeat-only mutes data but not heartbeats; silence stops everything; a drop can refuse reconnects', async () => {
  const market = new SyntheticMarket({ symbols: ['BTC/USD'], seed: 3 })
  let clock = Date.now()
  await withServer(
    market,
    async server => {
      const client = await connect(server.wsUrl)
      client.send({ method: 'subscribe', params: { channel: 'trade', symbol: ['BTC/USD'] }, req_id: 1 })
      await client.next(m => m.success === true, 60_000)
      server.faults.heartbeatOnly()
      await roundTrip(client.socket)
      const muted = client.messages.length
      market.emitTrades('BTC/USD', 5)
      // Trades go out as they happen: any sent would be in before the answer to a later ping.
      await roundTrip(client.socket)
      assert.ok(!client.messages.slice(muted).some(m => m.channel === 'trade'), 'no data while muted')
      await waitFor('a heartbeat while muted', () =>
        client.messages.slice(muted).some(m => m.channel === 'heartbeat')
      )

      server.faults.silence()
      await roundTrip(client.socket)
      const silent = client.messages.length
      client.send({ method: 'ping', req_id: 9 })
      // One timer sends the heartbeats of every subscribed connection quiet for heartbeatMs. A
      // connection opened now has been quiet for less time than the silenced one: by the round in
      // which it gets its first heartbeat, the silenced one was due for one as well.
      const witness = await connect(server.wsUrl)
      witness.send({ method: 'subscribe', params: { channel: 'trade', symbol: ['BTC/USD'] }, req_id: 2 })
      await waitFor('a heartbeat on a connection opened after the silence', () =>
        witness.messages.some(m => m.channel === 'heartbeat')
      )
      await roundTrip(client.socket)
      assert.deepEqual(client.messages.slice(silent), [], 'no heartbeat, no pong')

      assert.equal(server.faults.drop({ code: 1006, refuseMs: 400 }), 2)
      assert.equal((await client.closed).code, 1006)
      await assert.rejects(openRaw(server.wsUrl), 'reconnects refused within the window')
      clock += 400
      const again = await openRaw(server.wsUrl)
      again.close()
    },
    { now: () => clock }
  )
})
