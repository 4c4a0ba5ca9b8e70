import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  add,
  compare,
  divide,
  formatDecimal,
  multiply,
  parseDecimal,
  subtract,
  truncate
} from '../../src/lib/decimal.ts'

const d = parseDecimal
const text = formatDecimal

test('a lexeme reads back to the same text, trailing zeros and sign included', () => {
  for (const lexeme of ['105433.60000', '0.00027625', '-0.5', '0', '42', '-0.00000001']) {
    assert.equal(text(d(lexeme)), lexeme)
  }
})

test('exponents, spaces and empty strings are refused rather than guessed', () => {
  for (const bad of ['5.1e-05', ' 1', '', '.5', '1.', '+1', 'NaN']) {
    assert.throws(() => d(bad), RangeError, bad)
  }
})

test('sums and products are exact where binary floats drift', () => {
  assert.equal(0.1 + 0.2 === 0.3, false)
  assert.equal(text(add(d('0.1'), d('0.2'))), '0.3')
  assert.equal(text(add(d('105433.60000'), d('0.1'))), '105433.70000')
  assert.equal(text(subtract(d('1'), d('0.00000001'))), '0.99999999')
  assert.equal(text(multiply(d('105433.60000'), d('0.00027625'))), '29.1260320000000')
})

test('comparison ignores the scale', () => {
  assert.equal(compare(d('1.50'), d('1.5')), 0)
  assert.equal(compare(d('-2'), d('1.5')), -1)
  assert.equal(compare(d('0.10000001'), d('0.1')), 1)
})

test('division truncates toward zero or rounds half to even, at the requested scale', () => {
  assert.equal(text(divide(d('10'), d('3'), 4, 'truncate')), '3.3333')
  assert.equal(text(divide(d('-10'), d('3'), 4, 'truncate')), '-3.3333')
  assert.equal(text(divide(d('2'), d('3'), 2, 'half-even')), '0.67')
  assert.equal(text(divide(d('0.125'), d('1'), 2, 'half-even')), '0.12')
  assert.equal(text(divide(d('0.135'), d('1'), 2, 'half-even')), '0.14')
  assert.equal(text(divide(d('-0.135'), d('1'), 2, 'half-even')), '-0.14')
  assert.equal(text(divide(d('1000'), d('0.001'), 0, 'truncate')), '1000000')
  assert.throws(() => divide(d('1'), d('0.0'), 2, 'truncate'), RangeError)
})

test('truncation drops digits and never adds any', () => {
  assert.equal(text(truncate(d('105382.3999'), 1)), '105382.3')
  assert.equal(text(truncate(d('1.5'), 4)), '1.5')
})
