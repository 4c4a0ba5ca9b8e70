import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Cursors } from '../../src/api/cursor.ts'
import { ApiError } from '../../src/api/errors.ts'

const refused = (parameter: string, message: RegExp) => (error: unknown) => {
  assert.ok(error instanceof ApiError && error.status === 400, String(error))
  assert.equal(error.body.parameter, parameter)
  assert.match(error.body.message, message)
  return true
}

test('a cursor reads back as the position it was made from, on the list it was made for', () => {
  const cursors = new Cursors('a key of sixteen chars or more')
  const position = { time: '2026-11-25T14:00:08.123456Z', id: '1009' }
  assert.deepEqual(cursors.decodeBefore('trades', cursors.before('trades', position)), position)
  assert.equal(
    cursors.decodeAfter('candles', cursors.after('candles', '2026-11-25T14:00:00Z')),
    '2026-11-25T14:00:00Z'
  )
})

test('an altered, made-up, foreign-key or other-list cursor is refused as not ours', () => {
  const cursors = new Cursors('a key of sixteen chars or more')
  const good = cursors.before('trades', { time: '2026-11-25T14:00:00Z', id: '1' })
  const [payload = '', mac = ''] = good.split('.')
  const forged = Buffer.from(JSON.stringify({ time: '2026-11-25T14:00:00Z', id: '2' })).toString('base64url')
  for (const cursor of [
    `${forged}.${mac}`,
    `${payload}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
    payload,
    `${payload}.${mac}.x`,
    new Cursors('another key of sixteen chars').before('trades', { time: '2026-11-25T14:00:00Z', id: '1' })
  ])
    assert.throws(
      () => cursors.decodeBefore('trades', cursor),
      refused('cursor', /not a cursor this API issued/)
    )
  assert.throws(
    () => cursors.decodeBefore('articles', good),
    refused('cursor', /not a cursor this API issued/)
  )
})

test('what a signed cursor holds is still checked against its list: integer ids, strict times, no NUL', () => {
  const cursors = new Cursors('a key of sixteen chars or more')
  for (const [list, position] of [
    ['trades', { time: '2026-11-25T14:00:00Z', id: 'abc' }],
    ['trades', { time: '2026-11-25T14:00:00Z', id: '9'.repeat(20) }],
    ['trades', { time: '2026-02-30T00:00:00Z', id: '1' }],
    ['articles', { time: '2026-11-25T14:00:00Z', id: 'a\u0000b' }],
    ['alerts', { time: '0000-01-01T00:00:00Z', id: 'x' }]
  ] as const)
    assert.throws(
      () => cursors.decodeBefore(list, cursors.before(list, position)),
      refused('cursor', new RegExp(`not a cursor of the ${list} list`))
    )
})

test('without a configured key each instance signs with its own random key', () => {
  const one = new Cursors(undefined)
  const cursor = one.after('sentiment', '2026-11-25T14:00:00Z')
  assert.equal(one.decodeAfter('sentiment', cursor), '2026-11-25T14:00:00Z')
  assert.throws(() => new Cursors('').decodeAfter('sentiment', cursor), refused('cursor', /not a cursor/))
})
