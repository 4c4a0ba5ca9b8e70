import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SeenTrades } from '../../../src/jobs/analytics/candles/seen-trades.ts'
import { jitter } from '../../helpers/synthetic-trades.ts'

test('an in-order stream is one range however long', () => {
  const seen = new SeenTrades()
  for (let id = 1000; id < 50_000; id++) seen.add(id, id)
  assert.equal(seen.size, 1)
  assert.ok(seen.has(1000) && seen.has(49_999) && !seen.has(999) && !seen.has(50_000))
})

test('out-of-order ids merge into ranges and membership stays exact', () => {
  const ids = jitter(
    Array.from({ length: 2000 }, (_, i) => i * 2 + (i % 7 === 0 ? 1 : 0)),
    30,
    9
  )
  const seen = new SeenTrades()
  for (const id of ids) seen.add(id, id)
  const set = new Set(ids)
  for (let id = -1; id < 4100; id++) assert.equal(seen.has(id), set.has(id), `id ${id}`)
  for (let i = 0; i < 10; i++) for (const id of ids.slice(0, 50)) seen.add(id, id)
  for (let id = -1; id < 4100; id++) assert.equal(seen.has(id), set.has(id), `after repeats, id ${id}`)
})

test('filling a gap joins the ranges on both sides', () => {
  const seen = new SeenTrades()
  for (const id of [1, 2, 4, 5, 3]) seen.add(id, id)
  assert.deepEqual(seen.toJSON(), [[1, 5, 5]])
})

test('ranges whose newest trade is older than the horizon are forgotten; JSON round-trips', () => {
  const seen = new SeenTrades()
  for (const [id, ts] of [
    [1, 10],
    [2, 11],
    [10, 50],
    [20, 90]
  ] as const)
    seen.add(id, ts)
  seen.prune(40)
  assert.deepEqual(seen.toJSON(), [
    [10, 10, 50],
    [20, 20, 90]
  ])
  assert.deepEqual(new SeenTrades(seen.toJSON()).toJSON(), seen.toJSON())
})
