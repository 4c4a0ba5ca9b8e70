/**
 * Hostile frames on the live WebSocket get an `error` message or are refused, never a crash or a
 * hang: after every generated frame (any text, JSON of any shape, ops with odd channels and ids,
 * binary and oversized frames) the same connection, or a new one when the server closed it for the
 * frame, still answers a ping, and the server answers other clients throughout.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import { migrate } from '../../src/store/migrator.ts'
import { PgliteDatabase } from '../../src/store/pglite/pglite-database.ts'
import { type TestApi, startTestApi } from '../helpers/api.ts'
import { type TestClient, connect } from '../helpers/ws-client.ts'

let db: PgliteDatabase
let api: TestApi

before(async () => {
  db = await PgliteDatabase.open()
  await migrate(db)
  api = await startTestApi({ db, cache: 'memory' })
})

after(async () => {
  await api?.close()
  await db?.close()
})

const channel = fc.oneof(
  fc.constantFrom('trades:BTC/USD', 'candles:BTC/USD:1m', 'tickers', 'alerts', 'articles', 'pipeline'),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('trades:', 'candles:BTC/USD:9y', 'trades:btc/usd', 'x'.repeat(5_000), '\u0000', '../..')
)
const id = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.double(), fc.constant(null), fc.object())
const frame = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json(),
  fc
    .record({
      op: fc.oneof(fc.constantFrom('subscribe', 'unsubscribe', 'ping', 'SUBSCRIBE', ''), fc.string()),
      channels: fc.oneof(fc.array(channel, { maxLength: 150 }), channel, fc.integer(), fc.constant(null)),
      id
    })
    .map(message => JSON.stringify(message)),
  fc.constantFrom('{"op":"subscribe","channels":', 'null', '[]', '"ping"', '{"__proto__":{"op":"ping"}}')
)

/** A ping answered on this connection: the server is alive and still talking to it. */
async function answersPing(client: TestClient, n: number): Promise<boolean> {
  const pingId = `probe-${n}`
  client.send({ op: 'ping', id: pingId })
  await client.next(m => m.id === pingId && m.type === 'pong')
  return true
}

test('any frame a client sends gets an error or an answer, never a crash, and the server keeps serving', async () => {
  let client = await connect(api.wsUrl)
  const bystander = await connect(api.wsUrl)
  let n = 0
  try {
    await fc.assert(
      fc.asyncProperty(frame, async text => {
        n += 1
        if (client.socket.readyState !== client.socket.OPEN) client = await connect(api.wsUrl)
        const before = client.messages.length
        client.socket.send(text)
        const closedByServer = await Promise.race([
          client.closed.then(() => true),
          answersPing(client, n).then(() => false)
        ])
        if (closedByServer) {
          client = await connect(api.wsUrl)
          return answersPing(client, n)
        }
        const replies = client.messages.slice(before)
        // Every reply is one of the protocol's messages, and an error names its kind.
        return replies.every(
          m =>
            ['error', 'subscribed', 'unsubscribed', 'pong', 'event', 'welcome'].includes(m.type) &&
            (m.type !== 'error' ||
              ['bad_message', 'bad_channel', 'too_many_subscriptions'].includes(String(m.error)))
        )
      }),
      { numRuns: 300 }
    )
    assert.ok(await answersPing(bystander, n + 1), 'another client was served throughout')
  } finally {
    await client.close()
    await bystander.close()
  }
})

test('binary and oversized frames are refused without taking the server down', async () => {
  const binary = await connect(api.wsUrl)
  binary.socket.send(Buffer.from([0, 159, 146, 150]))
  const big = await connect(api.wsUrl)
  big.socket.send(JSON.stringify({ op: 'ping', id: 'x'.repeat(20 * 1024) }))
  const closes = await Promise.all([
    Promise.race([binary.closed, binary.next(m => m.type === 'error').then(() => undefined)]),
    big.closed
  ])
  assert.ok(closes[1].code === 1009 || closes[1].code === 1008, `oversized frame closed (${closes[1].code})`)
  const fresh = await connect(api.wsUrl)
  assert.ok(await answersPing(fresh, 0))
  await Promise.all([binary.close(), fresh.close()])
})
