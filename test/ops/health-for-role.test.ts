import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Health } from '../../src/ops/health.ts'

test("in a process running several roles, each role's report holds its own checks and the shared ones", () => {
  const process = new Health()
  process.register('bus', () => ({ status: 'up' }))
  const produce = process.forRole('produce')
  const api = process.forRole('api')
  produce.register('kraken', () => ({ status: 'down', detail: 'unreachable' }))
  api.register('database', () => ({ status: 'up' }))
  assert.deepEqual(Object.keys(produce.report().checks), ['bus', 'kraken'])
  assert.equal(produce.report().status, 'down')
  assert.deepEqual(Object.keys(api.report().checks), ['bus', 'database'])
  assert.equal(api.report().status, 'up', 'an unreachable exchange does not make the API down')
  assert.deepEqual(Object.keys(process.report().checks), ['bus', 'kraken', 'database'])
  assert.equal(process.report().status, 'down', 'the process as a whole is not ready')
  produce.unregister('kraken')
  assert.equal(process.report().status, 'up')
})
