import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createLagReader } from '../../src/api/pipeline/consumer-lag.ts'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { KafkaInspector } from '../../src/bus/kafka/kafka-inspector.ts'
import { RedisLiveEvents } from '../../src/live-events/redis-live-events.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { Health } from '../../src/ops/health.ts'
import { startHeartbeat } from '../../src/role/heartbeat.ts'
import { getJson, startTestApi, testRedisUrl } from '../helpers/api.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { createTopics, testKafka } from '../helpers/kafka.ts'
import { uniqueName } from '../helpers/names.ts'
import { insertTrades } from '../helpers/seed.ts'
import { waitFor } from '../helpers/wait.ts'

interface Stage {
  stage: string
  status: string
  lastEventAt: string | null
  throughputPerSec: number | null
  instances: { role: string; status: string; checks: Record<string, { status: string; data?: object }> }[]
}
interface PipelineBody {
  stages: Stage[]
  data: { trades: string | null } | null
  kafka: {
    available: boolean
    error: string | null
    groups: {
      groupId: string
      totalLag: number
      partitions: { partition: number; committedOffset: number; endOffset: number; lag: number }[]
    }[]
  }
}

let database: TestDatabase
const live = new RedisLiveEvents(testRedisUrl, silentLogger())

before(async () => {
  database = await createTestDatabase()
})

after(async () => {
  await live.close()
  await database?.drop()
})

test('stages are up while their heartbeats arrive, with reported last event and throughput, and down after three missed intervals', async () => {
  const api = await startTestApi({ db: database.db, lag: async () => [] })
  // A unique second role keeps this process's stage apart from other heartbeats on the shared Redis.
  const probe = uniqueName('probe').replaceAll('-', '')
  const health = new Health()
  health.register('kraken', () => ({
    status: 'up',
    detail: 'connected',
    data: { lastEventAt: '2026-11-25T14:00:00.000001Z', throughputPerSec: 12.5, connected: true }
  }))
  const heartbeat = startHeartbeat({
    role: `produce+${probe}`,
    health,
    live: () => live,
    log: silentLogger(),
    intervalMs: 200
  })
  const stageOf = async (): Promise<Stage | undefined> =>
    (await getJson<PipelineBody>(api.url, '/api/pipeline')).body.stages.find(s => s.stage === probe)
  try {
    const up = await waitFor('the probe stage to be up', async () =>
      (await stageOf())?.status === 'up' ? stageOf() : false
    )
    assert.equal(up?.lastEventAt, '2026-11-25T14:00:00.000001Z')
    assert.equal(up?.throughputPerSec, 12.5)
    assert.equal(up?.instances[0]?.role, `produce+${probe}`)
    assert.equal(up?.instances[0]?.checks.kraken?.status, 'up', 'producer connection state is shown')
    const produce = (await getJson<PipelineBody>(api.url, '/api/pipeline')).body.stages.find(
      s => s.stage === 'produce'
    )
    assert.ok(
      produce?.instances.some(i => i.role === `produce+${probe}`),
      'the process counts for each of its roles'
    )
    heartbeat.stop()
    const down = await waitFor('the probe stage to be down', async () => {
      const stage = await stageOf()
      return stage?.status === 'down' ? stage : false
    })
    assert.equal(down.instances[0]?.status, 'down')
  } finally {
    heartbeat.stop()
    await api.close()
  }
})

test('data freshness comes from the database, and the four pipeline stages are always listed', async () => {
  const api = await startTestApi({ db: database.db, lag: async () => [] })
  try {
    await insertTrades(database.db, [{ symbol: 'FRSH/USD', tradeId: 1, time: '2026-11-25T14:00:00.654321Z' }])
    const { status, body } = await getJson<PipelineBody>(api.url, '/api/pipeline')
    assert.equal(status, 200)
    assert.equal(body.data?.trades, '2026-11-25T14:00:00.654321Z')
    for (const stage of ['produce', 'ingest', 'analytics', 'api'])
      assert.ok(
        body.stages.some(s => s.stage === stage),
        stage
      )
  } finally {
    await api.close()
  }
})

test('Kafka consumer lag is reported per group and partition from the real broker', async () => {
  const [topic] = await createTopics(2, 'lag')
  assert.ok(topic)
  const bus = new KafkaBus(testKafka, silentLogger())
  const groupId = uniqueName('g-lag')
  const inspector = new KafkaInspector(testKafka)
  const lag = createLagReader(inspector, { topics: [topic] })
  const api = await startTestApi({ db: database.db, lag })
  try {
    // k1…k4 spread over both partitions (murmur2, deterministic), so lag is seen per partition.
    await bus.publish(['k1', 'k2', 'k3', 'k4'].map(key => ({ topic, key, value: key })))
    let consumed = 0
    const subscription = await bus.subscribe({
      groupId,
      topics: [topic],
      handler: async batch => {
        consumed += batch.length
      }
    })
    await waitFor('4 records consumed', () => consumed >= 4, 60_000)
    await subscription.close()
    await bus.publish(['k1', 'k2', 'k3'].map(key => ({ topic, key, value: `${key}-later` })))
    const group = await waitFor(
      'the lag of the group',
      async () => {
        const { body } = await getJson<PipelineBody>(api.url, '/api/pipeline')
        const found = body.kafka.groups.find(g => g.groupId === groupId)
        return found?.totalLag === 3 ? { body, found } : false
      },
      20_000,
      1_000
    )
    assert.equal(group.body.kafka.available, true)
    assert.equal(group.found.partitions.length, 2)
    for (const p of group.found.partitions) assert.equal(p.lag, p.endOffset - p.committedOffset)
  } finally {
    await api.close()
    await inspector.close()
    await bus.close()
  }
})

test('when the lag cannot be read, the status still answers and says why', async () => {
  const api = await startTestApi({
    db: database.db,
    lag: async () => {
      throw new Error('broker at 127.0.0.1:1 not reachable')
    }
  })
  try {
    const { status, body } = await getJson<PipelineBody>(api.url, '/api/pipeline')
    assert.equal(status, 200)
    assert.equal(body.kafka.available, false)
    assert.match(body.kafka.error ?? '', /not reachable/)
  } finally {
    await api.close()
  }
})
