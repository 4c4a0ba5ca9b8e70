/** What the dashboard writes on screen: exact prices, signs, ages; its routes; its reconnect delays. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatHash, parseHash } from '../../src/web/app/router.ts'
import { backoffDelay } from '../../src/lib/backoff.ts'
import {
  formatAgo,
  formatCompact,
  formatDecimal,
  formatFixed,
  formatPercent
} from '../../src/web/lib/format.ts'

test('prices are shown from their exact decimal text: grouped, trimmed, never through a float', () => {
  assert.equal(formatDecimal('83744.20000'), '83\u202f744.20')
  assert.equal(formatDecimal('0.000012345678'), '0.00001234')
  assert.equal(formatDecimal('2.5'), '2.50')
  assert.equal(formatDecimal('-1234.5'), '-1\u202f234.50')
  assert.equal(formatDecimal('90071992547409931.25'), '90\u202f071\u202f992\u202f547\u202f409\u202f931.25')
  assert.equal(formatFixed(94_000, 2), '94\u202f000.00')
})

test('changes carry their sign, quantities are compact, ages read naturally', () => {
  assert.equal(formatPercent(1.234), '+1.23\u2009%')
  assert.equal(formatPercent(-0.5), '\u22120.50\u2009%')
  assert.equal(formatCompact(0), '0')
  assert.equal(formatCompact(12_345), '12.3\u2009K')
  assert.equal(formatCompact(4_560_000), '4.6\u2009M')
  assert.equal(formatAgo(-5_000), 'just now')
  assert.equal(formatAgo(125_000), '2\u2009min ago')
})

test('routes round-trip through the address, symbols decoded and time parameters kept', () => {
  const route = parseHash('#/symbol/btc%2Fusd?interval=5m&at=2026-11-25T14:00:00.000Z')
  assert.equal(route.view, 'symbol')
  assert.equal(route.symbol, 'BTC/USD')
  assert.equal(route.params.get('interval'), '5m')
  assert.equal(formatHash(route), '#/symbol/BTC%2FUSD?interval=5m&at=2026-11-25T14%3A00%3A00.000Z')
  assert.equal(parseHash('#/nowhere').view, 'overview')
  assert.equal(parseHash('#/symbol/not-a-symbol').view, 'overview')
})

test('reconnect delays grow exponentially to a cap and are spread by jitter', () => {
  const dashboard = { initialMs: 500, maxMs: 15_000, floorMs: 250 }
  const low = (attempt: number): number => backoffDelay(attempt, { ...dashboard, random: () => 0 })
  const high = (attempt: number): number => backoffDelay(attempt, { ...dashboard, random: () => 1 })
  assert.deepEqual([1, 2, 3, 4, 5, 6, 11].map(high), [500, 1000, 2000, 4000, 8000, 15_000, 15_000])
  assert.equal(low(6), 250, 'never below the floor')
  const spread = new Set(Array.from({ length: 20 }, () => backoffDelay(7, dashboard)))
  assert.ok(spread.size > 10, 'two clients rarely retry at the same moment')
})
