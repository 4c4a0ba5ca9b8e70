import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configFromEnv } from '../../src/config/config.ts'
import type { LiveEvent } from '../../src/live-events/live-events.ts'
import { RedisLiveEvents } from '../../src/live-events/redis-live-events.ts'
import { silentLogger } from '../../src/log/logger.ts'
import type { Role } from '../../src/role/role.ts'
import { runRoles } from '../../src/runtime/run-roles.ts'
import { adminUrl } from '../helpers/db.ts'
import { testKafka } from '../helpers/kafka.ts'
import { waitFor } from '../helpers/wait.ts'

test('a role runs with health, metrics, heartbeats and a lazily opened database, and is stopped gracefully on signal', async () => {
  const config = configFromEnv({
    KAFKA_SERVERS: testKafka.servers.join(','),
    DATABASE_URL: adminUrl,
    OPS_PORT: '0',
    LOG_LEVEL: 'silent'
  })
  const events: string[] = []
  const heard: LiveEvent[] = []
  const listener = new RedisLiveEvents(config.redis.url, silentLogger())
  await listener.subscribe(event => {
    if (event.channel === 'pipeline' && event.key.startsWith('probe@')) heard.push(event)
  })
  let opsPort = 0
  const role: Role = {
    name: 'probe',
    async start(context) {
      context.health.register('probe', () => ({ status: 'up', detail: 'fine' }))
      const db = await context.database()
      const { rows } = await db.query<{ one: number }>('select 1 as one')
      events.push(`started db=${rows[0]?.one}`)
      return {
        async stop() {
          events.push('stopped')
        }
      }
    }
  }
  const controller = new AbortController()
  const log = silentLogger()
  const running = runRoles({ config, log, signal: controller.signal }, [role], {
    onOpsServer: port => (opsPort = port)
  })
  try {
    await waitFor('the role to start', () => events.includes('started db=1'), 60_000)
    await checkEndpoints(opsPort)
    const beat = await waitFor('a heartbeat on the pipeline channel', () => heard[0], 60_000)
    const data = beat.data as { role: string; health: { status: string; checks: Record<string, unknown> } }
    assert.equal(data.role, 'probe')
    assert.equal(data.health.status, 'up')
    assert.ok('probe' in data.health.checks)
  } finally {
    controller.abort()
    await listener.close()
  }
  assert.equal(await running, 0)
  assert.deepEqual(events, ['started db=1', 'stopped'])
})

async function checkEndpoints(opsPort: number): Promise<void> {
  const ready = await fetch(`http://127.0.0.1:${opsPort}/health/ready`)
  assert.equal(ready.status, 200)
  const report = (await ready.json()) as { status: string; checks: Record<string, { status: string }> }
  assert.equal(report.status, 'up')
  assert.equal(report.checks.probe?.status, 'up')
  assert.equal(report.checks.bus?.status, 'up')
  const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text()
  assert.match(metrics, /cryptoviz_process_cpu_seconds_total\{role="probe"\}/)
}
