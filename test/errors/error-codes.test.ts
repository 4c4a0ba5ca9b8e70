import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { CryptoVizError, ErrorCodes, describeError } from '../../src/errors/errors.ts'

test('every error code is documented in docs/errors.md, and nothing undocumented is listed', () => {
  const documented = [...readFileSync('docs/errors.md', 'utf8').matchAll(/^\| `(CV_ERR_[A-Z_]+)` \|/gm)].map(
    m => m[1]
  )
  assert.deepEqual(documented.sort(), Object.values(ErrorCodes).sort())
})

test('an error reports its own code, flags and cause chain', () => {
  const cause = new Error('ECONNREFUSED 127.0.0.1:9092')
  const error = new CryptoVizError(ErrorCodes.BUS_PUBLISH, 'publishing failed', { cause, retryable: true })
  assert.equal(error.code, 'CV_ERR_BUS_PUBLISH')
  assert.equal(error.retryable, true)
  assert.equal(error.deadLetter, false)
  assert.equal(describeError(error), 'publishing failed: ECONNREFUSED 127.0.0.1:9092')
})
