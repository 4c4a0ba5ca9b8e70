import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { isCryptoVizError } from '../../../src/errors/errors.ts'
import { readFrame } from '../../../src/sources/kraken/frames.ts'

const sample = (name: string): string => readFileSync(`fixtures/kraken/samples/${name}`, 'utf8')

test('every v2 frame shape is classified: status, heartbeat, pong, acks, data', () => {
  assert.deepEqual(
    readFrame(
      '{"channel":"status","type":"update","data":[{"version":"2.0.10","system":"online","api_version":"v2","connection_id":18125794168470749634}]}'
    ),
    { kind: 'status', system: 'online', version: '2.0.10' }
  )
  assert.deepEqual(readFrame('{"channel":"heartbeat"}'), { kind: 'heartbeat' })
  assert.deepEqual(readFrame(sample('ws_pong.json')), { kind: 'pong', reqId: 42 })
  assert.deepEqual(readFrame(sample('ws_subscribe_response.json')), {
    kind: 'ack',
    method: 'subscribe',
    success: true,
    channel: 'ticker',
    symbol: 'BTC/USD',
    reqId: 1,
    error: undefined
  })
  const trades = readFrame(sample('ws_trade_update.json'))
  assert.equal(trades.kind, 'data')
  assert.equal(trades.kind === 'data' && trades.data.length, 2)
})

test('a rejection without `result` still names its symbol and error; a missing success flag is a failure', () => {
  const rejection = readFrame(
    '{"error":"Currency pair not supported XBT/USD","method":"subscribe","success":false,"symbol":"XBT/USD","time_in":"2026-09-25T17:48:54.701041Z","time_out":"2026-09-25T17:48:54.701062Z"}'
  )
  assert.deepEqual(rejection, {
    kind: 'ack',
    method: 'subscribe',
    success: false,
    channel: undefined,
    symbol: 'XBT/USD',
    reqId: undefined,
    error: 'Currency pair not supported XBT/USD'
  })
  const noFlag = readFrame('{"method":"subscribe","result":{"channel":"trade","symbol":"BTC/USD"}}')
  assert.equal(noFlag.kind === 'ack' && noFlag.success, false)
})

test('the rate limiter reply and unknown channels are recognised, not errors', () => {
  assert.deepEqual(readFrame('{"Error":"Exceeded msg rate"}'), {
    kind: 'rate-limit',
    message: 'Exceeded msg rate'
  })
  assert.deepEqual(readFrame('{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[]}}'), {
    kind: 'ignored',
    what: 'channel instrument'
  })
})

test('text that is not a v2 frame is a MALFORMED_INPUT error', () => {
  for (const text of ['[1,2,3]', '{"foo":1}', '{"channel":"trade","type":"delta","data":[]}', 'not json']) {
    assert.throws(
      () => readFrame(text),
      (e: unknown) => isCryptoVizError(e, 'CV_ERR_MALFORMED_INPUT'),
      text
    )
  }
})
