/**
 * `npm test`: makes sure the real infrastructure is up (starting it with scripts/infra.sh if it is
 * installed but stopped), then runs every test file with Node's test runner. Extra arguments are
 * passed through (e.g. `npm test -- test/bus/*.test.ts`).
 *
 * A file with a failing test is run once more, alone, to tell a repeatable failure from a flaky
 * one. Either fails the run under CI (CI=true): a test that passes only on a rerun depends on
 * timing, and a green CI must not hide it. Locally a file that passes alone is named as FLAKY and
 * the run passes, as a convenience. TEST_RETRY=0 turns the second run off.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, globSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { pruneTestTopics } from '../test/helpers/kafka.ts'

function reachable(port: number): Promise<boolean> {
  return new Promise<boolean>(resolve => {
    const socket = createConnection(port, '127.0.0.1')
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1_000)
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
    socket.once('timeout', () => done(false))
  })
}

// Services already answering (started by another checkout, or by hand) are used as they are.
const ports = [9092, 5432, 6379]
const up = await Promise.all(ports.map(reachable))
const infra = up.every(Boolean)
  ? { status: 0 }
  : spawnSync('bash', ['scripts/infra.sh', 'start'], { stdio: 'inherit' })
if (infra.status !== 0) {
  process.stderr.write(
    '\nThe tests need a real Kafka, PostgreSQL and Redis. Install them once with `scripts/infra.sh install`\n' +
      '(needs apt and Maven Central), then run `npm test` again. CI does this in .ci/run.\n'
  )
  process.exit(infra.status ?? 1)
}

// Test topics of runs over an hour old: a broker that keeps them all restarts ever more slowly.
const pruned = await pruneTestTopics(3_600_000).catch((error: unknown) => {
  process.stderr.write(`(could not prune old test topics: ${(error as Error).message})\n`)
  return 0
})
if (pruned > 0)
  process.stdout.write(`removed ${pruned} topics left on the broker by test runs over an hour old\n`)

const args = process.argv.slice(2)
const files = args.length > 0 ? args : globSync('test/**/*.test.ts').sort()
const env = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' }
// One list per run: a test of this runner runs it inside a run of the suite.
const failedList = `.cache/test-failed-files-${process.pid}.txt`
mkdirSync('.cache', { recursive: true })
process.on('exit', () => rmSync(failedList, { force: true }))

function runTests(paths: string[], concurrency: string, recordFailures: boolean): number {
  const record = recordFailures
    ? ['--test-reporter=./scripts/failed-files-reporter.ts', `--test-reporter-destination=${failedList}`]
    : []
  const result = spawnSync(
    process.execPath,
    [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      ...record,
      '--test-timeout=180000',
      // A file whose test timed out may hold sockets or child processes open: end it anyway, so a
      // hang costs one test's timeout, never the whole CI budget.
      '--test-force-exit',
      `--test-concurrency=${concurrency}`,
      ...paths
    ],
    { stdio: 'inherit', env }
  )
  return result.status ?? 1
}

const status = runTests(files, process.env.TEST_CONCURRENCY ?? '2', true)
if (status === 0 || process.env.TEST_RETRY === '0') process.exit(status)

// No list when the runner itself failed before reporting: nothing to retry, the failure stands.
const failed = existsSync(failedList) ? readFileSync(failedList, 'utf8').split('\n').filter(Boolean) : []
if (failed.length === 0) process.exit(status)
process.stdout.write(`\nRunning ${failed.length} failed file(s) again, alone:\n  ${failed.join('\n  ')}\n\n`)
const again = runTests(failed, '1', false)
if (again !== 0) process.exit(again)
const ci = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI)
process.stdout.write(
  `\nFLAKY: these file(s) failed with the others and passed alone; fix them${ci ? ' (CI counts this as a failure)' : ''}:\n  ${failed.join('\n  ')}\n`
)
if (ci) process.exit(1)
