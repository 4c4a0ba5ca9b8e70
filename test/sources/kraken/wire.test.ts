import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isCryptoVizError } from '../../../src/errors/errors.ts'
import {
  epochSecondsToRfc3339,
  parseLossless,
  rfc3339ToNanos,
  toDecimal
} from '../../../src/sources/kraken/wire.ts'

test('numbers keep their exact wire lexemes, trailing zeros and big integers included', () => {
  const frame = parseLossless(
    '{"qty":0.10000000,"price":105944.20,"connection_id":18125794168470749634,"ok":true,"n":null}'
  )
  assert.deepEqual(frame, {
    qty: '0.10000000',
    price: '105944.20',
    connection_id: '18125794168470749634',
    ok: true,
    n: null
  })
})

test('exponent lexemes become fixed decimals exactly, plain ones pass unchanged', () => {
  assert.equal(toDecimal('5.1e-05'), '0.000051')
  assert.equal(toDecimal('1e-08'), '0.00000001')
  assert.equal(toDecimal('1.5E+3'), '1500')
  assert.equal(toDecimal('-2.5e1'), '-25')
  assert.equal(toDecimal('740.0'), '740.0')
  assert.equal(toDecimal('-0.17'), '-0.17')
  assert.throws(
    () => toDecimal('NaN'),
    (e: unknown) => isCryptoVizError(e, 'CV_ERR_MALFORMED_INPUT')
  )
})

test('REST epoch seconds convert to RFC 3339 keeping every digit sent', () => {
  assert.equal(epochSecondsToRfc3339('1762795433.9717445'), '2025-11-10T17:23:53.9717445Z')
  assert.equal(epochSecondsToRfc3339('1688669597'), '2023-07-06T18:53:17Z')
})

test('RFC 3339 converts to nanoseconds without rounding, offsets included', () => {
  const ns = rfc3339ToNanos('2023-10-06T17:35:55.440295Z')
  assert.equal(ns, 1696613755440295000n)
  assert.equal(rfc3339ToNanos('2023-10-04T16:25:00.000000001Z') % 10n, 1n)
  assert.equal(rfc3339ToNanos('2023-10-06T19:35:55+02:00'), 1696613755000000000n)
})

test('malformed JSON is a MALFORMED_INPUT error, not a crash', () => {
  assert.throws(
    () => parseLossless('{"channel":'),
    (e: unknown) => isCryptoVizError(e, 'CV_ERR_MALFORMED_INPUT')
  )
})
