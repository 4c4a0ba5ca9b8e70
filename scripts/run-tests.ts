/**
 * `npm test`: makes sure the real infrastructure is up (starting it with scripts/infra.sh if it is
 * installed but stopped), then runs every test file with Node's test runner. Extra arguments are
 * passed through (e.g. `npm test -- test/bus/*.test.ts`).
 */
import { spawnSync } from 'node:child_process'
import { globSync } from 'node:fs'

const infra = spawnSync('bash', ['scripts/infra.sh', 'start'], { stdio: 'inherit' })
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
  ['--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files],
  { stdio: 'inherit', env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' } }
)
process.exit(result.status ?? 1)
