/**
 * `npm test`: makes sure the real infrastructure is up (starting it with scripts/infra.sh if it is
 * installed but stopped), then runs every test file with Node's test runner. Extra arguments are
 * passed through (e.g. `npm test -- test/bus/*.test.ts`).
 */
import { spawnSync } from 'node:child_process'
import { globSync } from 'node:fs'
import { createConnection } from 'node:net'

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

const args = process.argv.slice(2)
const files = args.length > 0 ? args : globSync('test/**/*.test.ts').sort()
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-timeout=180000',
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
    ...files
  ],
  { stdio: 'inherit', env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' } }
)
process.exit(result.status ?? 1)
