import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import { createBus } from '../../src/bus/create-bus.ts'
import { TopicNames } from '../../src/schemas/topics.ts'
import { configFromEnv } from '../../src/config/config.ts'
import { silentLogger } from '../../src/log/logger.ts'
import type { DoctorReport } from '../../src/doctor/doctor.ts'
import { closedPort } from '../helpers/closed-port.ts'
import { tempDir } from '../helpers/embedded.ts'
import { waitFor } from '../helpers/wait.ts'

/** Runs `crypto-viz doctor` as a user would, in an environment of exactly these variables. */
function doctor(env: Record<string, string>, ...flags: string[]): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, ['src/cli.ts', 'doctor', ...flags], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000
  })
  return { status: result.status, stdout: result.stdout }
}

function verdicts(stdout: string): Record<string, string> {
  const report = JSON.parse(stdout) as DoctorReport
  return Object.fromEntries(report.results.map(r => [r.check, r.verdict]))
}

test('doctor against a stack that is down names each failure and exits 1', async () => {
  const [kafka, pg, redis, api] = await Promise.all([closedPort(), closedPort(), closedPort(), closedPort()])
  const { status, stdout } = doctor(
    {
      KAFKA_SERVERS: `127.0.0.1:${kafka}`,
      DATABASE_URL: `postgres://cryptoviz:cryptoviz@127.0.0.1:${pg}/cryptoviz`,
      REDIS_URL: `redis://127.0.0.1:${redis}`
    },
    '--json',
    '--timeout',
    '2000',
    '--api-url',
    `http://127.0.0.1:${api}`
  )
  assert.equal(status, 1)
  assert.deepEqual(verdicts(stdout), {
    configuration: 'ok',
    broker: 'fail',
    topics: 'skip',
    'consumer groups': 'skip',
    database: 'fail',
    redis: 'fail',
    producers: 'skip',
    api: 'fail'
  })
})

test('doctor reports an invalid configuration as its first failing line instead of stopping', () => {
  const { status, stdout } = doctor({ OPS_PORT: 'eighty' })
  assert.equal(status, 1)
  assert.match(stdout, /FAIL {2}configuration +invalid configuration/)
  assert.match(stdout, /OPS_PORT/)
  assert.match(stdout, /skip {2}broker/)
})

test('doctor reads the embedded bus while another process holds it open, without taking its lock', async () => {
  const dataDir = await tempDir('cv-doctor-')
  const env = { DATA_DIR: dataDir, BUS: 'embedded', PRODUCER_SOURCES: 'kraken', KRAKEN_CHANNELS: 'trade' }
  const config = configFromEnv({ ...env, LOG_LEVEL: 'silent' })
  const bus = await createBus(config, silentLogger())
  try {
    await bus.publish([{ topic: TopicNames.trade, key: 'BTC/USD', value: '{"v":1}' }])
    let handled = 0
    const ingest = await bus.subscribe({
      groupId: config.ingest.groupId,
      topics: [TopicNames.trade],
      handler: async batch => void (handled += batch.length)
    })
    await waitFor('the record consumed', () => handled === 1)
    await ingest.close()

    const api = await closedPort()
    const { status, stdout } = doctor(env, '--json', '--api-url', `http://127.0.0.1:${api}`)
    const report = JSON.parse(stdout) as DoctorReport
    const byName = new Map(report.results.map(r => [r.check, r]))
    assert.equal(report.mode, 'embedded')
    assert.match(byName.get('broker')?.summary ?? '', new RegExp(`open in process ${process.pid}`))
    assert.equal(byName.get('topics')?.verdict, 'ok')
    // ingest is caught up; analytics never ran here.
    assert.equal(byName.get('consumer groups')?.verdict, 'warn')
    assert.match(
      byName.get('consumer groups')?.details.join('\n') ?? '',
      /crypto-viz-ingest \(ingest\): in process \d+, lag 0/
    )
    assert.equal(byName.get('producers')?.verdict, 'ok')
    assert.equal(byName.get('redis')?.verdict, 'skip')
    assert.equal(byName.get('api')?.verdict, 'fail')
    assert.equal(status, 1)
    // The bus still works: the doctor took nothing from it.
    await bus.publish([{ topic: TopicNames.trade, key: 'ETH/USD', value: '{"v":1}' }])
  } finally {
    await bus.close()
  }
})
