import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConsumedRecord } from '../../src/bus/bus.ts'
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'
import { decodeRecord } from '../../src/jobs/decode.ts'
import { syntheticTrades } from '../helpers/synthetic-trades.ts'

const base = syntheticTrades({
  symbol: 'BTC/USD',
  count: 1,
  startMicros: Date.UTC(2026, 10, 25) * 1000,
  seed: 3
})[0] as TradeV1

function record(trade: Record<string, unknown>, key = 'BTC/USD'): ConsumedRecord {
  return {
    topic: 'rawtrade',
    partition: 0,
    offset: 0n,
    key,
    value: Buffer.from(JSON.stringify(trade)),
    headers: {},
    timestamp: Date.now()
  }
}

function reason(trade: Record<string, unknown>, key?: string): string {
  const decoded = decodeRecord('trade', record(trade, key))
  return decoded.kind === 'rejected' ? decoded.error.message : 'accepted'
}

test('a valid trade is accepted with its fields as sent', () => {
  const decoded = decodeRecord('trade', record({ ...base }))
  assert.equal(decoded.kind, 'trade')
  assert.deepEqual(decoded.kind === 'trade' ? decoded.value : undefined, base)
})

test('a trade is rejected, with the reason, for an impossible time, a time far ahead, a wrong key or a non-positive amount', () => {
  assert.match(reason({ ...base, exchangeTs: '2026-02-30T00:00:00.000001Z' }), /exchangeTs: no such time/)
  assert.match(reason({ ...base, receivedAt: '2026-13-01T00:00:00Z' }), /receivedAt/)
  const twoHoursAhead = new Date(Date.parse(base.receivedAt) + 7_200_000).toISOString()
  assert.match(reason({ ...base, exchangeTs: twoHoursAhead }), /more than 1 h after receivedAt/)
  assert.match(reason({ ...base }, 'ETH/USD'), /key "ETH\/USD" is not the record's symbol/)
  assert.match(reason({ ...base, qty: '0.00000000' }), /qty must be positive/)
  assert.match(reason({ ...base, price: '-1' }), /price/)
})
