/**
 * `npm test` (scripts/run-tests.ts) runs a failing file once more, alone: a file that then passes
 * is named FLAKY, and under CI that fails the run, so a green CI never hides a timing-dependent
 * test. Played by a file that fails on its first run and passes on its second.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, test } from 'node:test'

const root = resolve(import.meta.dirname, '../..')
const home = mkdtempSync(join(tmpdir(), 'cv-runner-'))
after(() => rmSync(home, { recursive: true, force: true }))

function flakyFile(name: string): string {
  const file = join(home, `${name}.test.ts`)
  const marker = join(home, `${name}.ran`)
  writeFileSync(
    file,
    `import { existsSync, writeFileSync } from 'node:fs'
import { test } from 'node:test'
test('fails the first time only', () => {
  const first = !existsSync(${JSON.stringify(marker)})
  writeFileSync(${JSON.stringify(marker)}, '')
  if (first) throw new Error('first run')
})
`
  )
  return file
}

function runTests(file: string, ci: string | undefined) {
  const env: NodeJS.ProcessEnv = { ...process.env, TEST_RETRY: '1' }
  delete env.CI
  // Inside a test file this variable makes a nested test runner report to ours instead of printing.
  delete env.NODE_TEST_CONTEXT
  if (ci !== undefined) env.CI = ci
  return spawnSync(process.execPath, ['scripts/run-tests.ts', file], { cwd: root, encoding: 'utf8', env })
}

test('under CI a file that fails and then passes alone fails the run and is named FLAKY', () => {
  const file = flakyFile('ci')
  const result = runTests(file, 'true')
  assert.equal(result.status, 1, result.stdout)
  assert.match(result.stdout, /FLAKY: .*CI counts this as a failure/)
  assert.ok(result.stdout.includes(file), 'the file is named')
})

test('outside CI the same file is named FLAKY and the run passes', () => {
  const file = flakyFile('local')
  const result = runTests(file, undefined)
  assert.equal(result.status, 0, result.stdout)
  assert.match(result.stdout, /FLAKY: these file\(s\) failed with the others and passed alone/)
  assert.ok(result.stdout.includes(file))
})
