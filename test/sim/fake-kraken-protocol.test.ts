import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type FakeKraken, startFakeKraken } from '../../src/sim/kraken/fake-kraken-server.ts'
import { SyntheticMarket } from '../../src/sim/kraken/synthetic-market.ts'
import { openRaw } from '../helpers/raw-ws.ts'

let server: FakeKraken
let market: SyntheticMarket

before(async () => {
  market = new SyntheticMarket({ symbols: ['BTC/USD', 'ETH/USD'], seed: 7 })
  server = await startFakeKraken({ market, heartbeatMs: 100 })
})
after(() => server.close())

const json = (frame: string) => JSON.parse(frame) as Record<string, unknown>

test('a connection gets a status frame first, then one ack per symbol echoing req_id, then snapshots', async () => {
  const ws = await openRaw(server.wsUrl)
  try {
    const status = json(await ws.next(f => f.includes('"status"')))
    assert.equal((status.data as { system: string }[])[0]?.system, 'online')
    assert.match(ws.frames[0] ?? '', /"connection_id":\d{20}/, 'connection id is a uint64 lexeme')
    ws.send({ method: 'subscribe', params: { channel: 'ticker', symbol: ['BTC/USD', 'ETH/USD'] }, req_id: 7 })
    await ws.next(f => f.includes('"ticker"') && f.includes('ETH/USD') && f.includes('snapshot'))
    const acks = ws.frames.filter(f => f.includes('"method":"subscribe"')).map(json)
    assert.deepEqual(
      acks.map(a => [a.success, a.req_id, (a.result as { symbol: string }).symbol]),
      [
        [true, 7, 'BTC/USD'],
        [true, 7, 'ETH/USD']
      ]
    )
    const snapshot = ws.frames.find(f => f.startsWith('{"channel":"ticker"') && f.includes('BTC/USD')) ?? ''
    assert.match(snapshot, /"bid":\d+\.\d\b/, 'prices are written with the pair precision')
  } finally {
    ws.close()
  }
})

test('unknown pairs are rejected with success:false and the symbol; a second subscribe says Already subscribed', async () => {
  const ws = await openRaw(server.wsUrl)
  try {
    ws.send({
      method: 'subscribe',
      params: { channel: 'trade', symbol: ['XBT/USD', 'BTC/USD'], snapshot: false },
      req_id: 1
    })
    const rejection = json(await ws.next(f => f.includes('XBT/USD')))
    assert.equal(rejection.success, false)
    assert.equal(rejection.symbol, 'XBT/USD')
    assert.equal(rejection.error, 'Currency pair not supported XBT/USD')
    assert.equal(rejection.result, undefined)
    await ws.next(f => f.includes('"success":true'))
    const from = ws.frames.length
    ws.send({ method: 'subscribe', params: { channel: 'trade', symbol: ['BTC/USD'] }, req_id: 2 })
    assert.match(await ws.next(f => f.includes('"req_id":2'), { from }), /"error":"Already subscribed"/)
  } finally {
    ws.close()
  }
})

test('an idle subscribed connection gets heartbeats, ping gets pong with req_id, unsubscribe echoes the depth', async () => {
  const ws = await openRaw(server.wsUrl)
  try {
    ws.send({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/USD'], depth: 25 }, req_id: 3 })
    await ws.next(f => f.includes('"channel":"book"') && f.includes('snapshot'))
    await ws.next(f => f === '{"channel":"heartbeat"}')
    ws.send({ method: 'ping', req_id: 101 })
    assert.match(await ws.next(f => f.includes('pong')), /"req_id":101/)
    ws.send({ method: 'unsubscribe', params: { channel: 'book', symbol: ['BTC/USD'], depth: 25 }, req_id: 4 })
    const ack = json(await ws.next(f => f.includes('unsubscribe')))
    assert.deepEqual(ack.result, { channel: 'book', symbol: 'BTC/USD', depth: 25 })
  } finally {
    ws.close()
  }
})

test('a synthetic trade stream has strictly increasing trade ids and exact decimals at the pair precision', async () => {
  const ws = await openRaw(server.wsUrl)
  try {
    ws.send({
      method: 'subscribe',
      params: { channel: 'trade', symbol: ['ETH/USD'], snapshot: false },
      req_id: 5
    })
    await ws.next(f => f.includes('"success":true'))
    market.emitTrades('ETH/USD', 30)
    await ws.next(f => f.includes('"channel":"trade"'))
    const trades = market.history.recent('ETH/USD', 40)
    const ids = trades.map(t => t.id)
    assert.ok(
      ids.every((id, i) => i === 0 || id === (ids[i - 1] ?? 0) + 1),
      'contiguous ids'
    )
    assert.ok(trades.every(t => /^\d+\.\d{2}$/.test(t.price) && /^\d+\.\d{8}$/.test(t.qty)))
  } finally {
    ws.close()
  }
})
