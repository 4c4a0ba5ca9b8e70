import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { ensureTopics } from '../../src/bus/kafka/topic-admin.ts'
import { type Config, configFromEnv } from '../../src/config/config.ts'
import { silentLogger } from '../../src/log/logger.ts'
import type { TopicSpec } from '../../src/schemas/topics.ts'
import { brokerCheck } from '../../src/doctor/check-broker.ts'
import { databaseCheck } from '../../src/doctor/check-database.ts'
import { groupsCheck } from '../../src/doctor/check-groups.ts'
import { producersCheck } from '../../src/doctor/check-producers.ts'
import { redisCheck } from '../../src/doctor/check-redis.ts'
import { topicsCheck } from '../../src/doctor/check-topics.ts'
import { doctorChecks } from '../../src/doctor/checks.ts'
import { type CheckResult, type DoctorCheck, type DoctorContext, runDoctor } from '../../src/doctor/doctor.ts'
import { doctorContext } from '../../src/doctor/doctor-context.ts'
import { testRedisUrl } from '../helpers/api.ts'
import { closedPort } from '../helpers/closed-port.ts'
import { type TestDatabase, adminUrl, createTestDatabase } from '../helpers/db.ts'
import { createTopics, testKafka } from '../helpers/kafka.ts'
import { uniqueName } from '../helpers/names.ts'
import { waitFor } from '../helpers/wait.ts'

const bus = new KafkaBus(testKafka, silentLogger())
const databases: TestDatabase[] = []
after(async () => {
  await bus.close()
  await Promise.all(databases.map(d => d.drop()))
})

function fullStack(env: Record<string, string> = {}): Config {
  return configFromEnv({
    KAFKA_SERVERS: testKafka.servers.join(','),
    DATABASE_URL: adminUrl,
    REDIS_URL: testRedisUrl,
    LOG_LEVEL: 'silent',
    ...env
  })
}

async function check(
  checks: readonly DoctorCheck[],
  config: Config,
  overrides: Parameters<typeof doctorContext>[2] = {},
  options: Parameters<typeof doctorContext>[1] = {}
): Promise<{ results: Map<string, CheckResult>; ok: boolean; context: DoctorContext }> {
  // Generous: the services here answer or refuse at once (a closed port), and a busy machine's slow
  // answer must not pass for a missing one.
  const context = doctorContext(config, { timeoutMs: 60_000, ...options }, overrides)
  try {
    const report = await runDoctor(context, checks)
    return { results: new Map(report.results.map(r => [r.check, r])), ok: report.ok, context }
  } finally {
    await context.bus.close()
  }
}

test('a broker that does not answer fails the broker check, and the checks that need it skip', async () => {
  const port = await closedPort()
  const { results, ok } = await check(
    [brokerCheck, topicsCheck, groupsCheck, producersCheck],
    fullStack({ KAFKA_SERVERS: `127.0.0.1:${port}` })
  )
  assert.equal(ok, false)
  assert.equal(results.get('broker')?.verdict, 'fail')
  assert.match(results.get('broker')?.summary ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`))
  assert.match(results.get('broker')?.fix ?? '', /infra\.sh start kafka/)
  for (const name of ['topics', 'consumer groups', 'producers'])
    assert.equal(results.get(name)?.verdict, 'skip')
})

test('a bootstrap server where nothing answers warns in the broker check, naming it, while the brokers that answer pass', async () => {
  const port = await closedPort()
  const silent = `127.0.0.1:${port}`
  const { results } = await check(
    [brokerCheck],
    fullStack({ KAFKA_SERVERS: [...testKafka.servers, silent].join(',') })
  )
  const broker = results.get('broker')
  assert.equal(broker?.verdict, 'warn', broker?.summary)
  // Only the silent one is named: "at <server> of", not a list with the broker that answers.
  assert.match(
    broker?.summary ?? '',
    new RegExp(`nothing answers at 127\\.0\\.0\\.1:${port} of KAFKA_SERVERS`)
  )
  assert.match(broker?.fix ?? '', /take an address that is gone for good out of KAFKA_SERVERS/)
  const healthy = await check([brokerCheck], fullStack())
  assert.equal(healthy.results.get('broker')?.verdict, 'ok', healthy.results.get('broker')?.summary)
})

test('a missing topic and a topic with fewer partitions than declared fail the topics check', async () => {
  const [short = ''] = await createTopics(2, 'doctor-short')
  const missing = uniqueName('t-doctor-missing')
  const topics = [
    { name: short, partitions: 3, replicationFactor: 1 },
    { name: missing, partitions: 3, replicationFactor: 1 }
  ]
  const { results, ok } = await check([brokerCheck, topicsCheck], fullStack(), { topics })
  const result = results.get('topics')
  assert.equal(ok, false)
  assert.equal(result?.verdict, 'fail')
  assert.match(result?.summary ?? '', new RegExp(`${missing} is missing`))
  assert.match(result?.summary ?? '', new RegExp(`${short} has 2 partitions, declared 3`))
  assert.match(result?.fix ?? '', /crypto-viz topics.*--grow-partitions/)
})

test('topics as declared pass the topics check', async () => {
  const [name = ''] = await createTopics(3, 'doctor-good')
  const { results } = await check([brokerCheck, topicsCheck], fullStack(), {
    topics: [{ name, partitions: 3, replicationFactor: 1 }]
  })
  assert.equal(results.get('topics')?.verdict, 'ok')
})

test('a min.insync.replicas on the broker other than configured warns with the topic, both values and the fix', async () => {
  const prefix = `${uniqueName('t-doctor-mi')}.`
  const connection = { ...testKafka, topicPrefix: prefix }
  const declared = (minInsyncReplicas: number) => [
    { name: 'rawtrade', partitions: 1, replicationFactor: 1, minInsyncReplicas }
  ]
  const spec = (minInsyncReplicas: number): TopicSpec[] =>
    declared(minInsyncReplicas).map(t => ({
      ...t,
      name: 'rawtrade',
      key: 'symbol',
      description: 'test',
      retentionMs: 3_600_000
    }))
  await ensureTopics(connection, spec(1), { readyTimeoutMs: 60_000, log: silentLogger() })
  const config = fullStack({ TOPIC_PREFIX: prefix })

  const drifted = (await check([brokerCheck, topicsCheck], config, { topics: declared(2) })).results.get(
    'topics'
  )
  assert.equal(drifted?.verdict, 'warn')
  assert.match(
    drifted?.summary ?? '',
    new RegExp(`${prefix}rawtrade has min\\.insync\\.replicas 1 on the broker, configured 2`)
  )
  assert.match(drifted?.fix ?? '', /crypto-viz topics --fix-min-insync/)
  assert.match(
    drifted?.fix ?? '',
    new RegExp(`kafka-configs.*--entity-name ${prefix}rawtrade --add-config min\\.insync\\.replicas=2`)
  )

  await ensureTopics(connection, spec(2), { readyTimeoutMs: 60_000, log: silentLogger(), fixMinInsync: true })
  const fixed = (await check([brokerCheck, topicsCheck], config, { topics: declared(2) })).results.get(
    'topics'
  )
  assert.equal(fixed?.verdict, 'ok')
})

test('a group behind by more than the bound fails, one never committed warns, one caught up passes', async () => {
  const [topic = ''] = await createTopics(1, 'doctor-lag')
  const publish = (n: number) =>
    bus.publish(Array.from({ length: n }, (_, i) => ({ topic, key: `k${i}`, value: `v${i}` })))
  const caughtUp = uniqueName('g-doctor-caught-up')
  const lagging = uniqueName('g-doctor-lagging')
  /** Reads the topic as `groupId` until the group's committed offset (what the check reads) is `end`. */
  const consume = async (groupId: string, end: number): Promise<void> => {
    const subscription = await bus.subscribe({ groupId, topics: [topic], handler: async () => undefined })
    try {
      await waitFor(
        `${groupId} to commit offset ${end}`,
        async () => (await bus.inspector.groupOffsets(groupId, [topic]))[0]?.committed === BigInt(end),
        60_000
      )
    } finally {
      await subscription.close()
    }
  }
  await publish(3)
  for (const groupId of [caughtUp, lagging]) await consume(groupId, 3)
  await publish(20)
  // The caught-up group reads the new records too; the lagging one never comes back.
  await consume(caughtUp, 23)

  const topics = [{ name: topic, partitions: 1, replicationFactor: 1 }]
  const groups = (ids: string[]) => ids.map(id => ({ role: 'ingest', id, topics: [topic] }))
  const failing = await check(
    [brokerCheck, groupsCheck],
    fullStack(),
    { topics, groups: groups([caughtUp, lagging]) },
    { maxLag: 5 }
  )
  assert.equal(failing.results.get('consumer groups')?.verdict, 'fail')
  assert.match(
    failing.results.get('consumer groups')?.summary ?? '',
    new RegExp(`${lagging} lags by 20 records \\(bound 5\\)`)
  )
  assert.doesNotMatch(failing.results.get('consumer groups')?.summary ?? '', new RegExp(caughtUp))

  const never = uniqueName('g-doctor-never')
  const warning = await check(
    [brokerCheck, groupsCheck],
    fullStack(),
    { topics, groups: groups([caughtUp, never]) },
    { maxLag: 50 }
  )
  assert.equal(warning.results.get('consumer groups')?.verdict, 'warn')
  assert.match(
    warning.results.get('consumer groups')?.summary ?? '',
    new RegExp(`${never} has never committed`)
  )

  const healthy = await check(
    [brokerCheck, groupsCheck],
    fullStack(),
    { topics, groups: groups([caughtUp]) },
    { maxLag: 0 }
  )
  assert.equal(healthy.results.get('consumer groups')?.verdict, 'ok')
})

test('a database without the migrations fails the database check and says to migrate', async () => {
  const fresh = await createTestDatabase({ migrated: false })
  databases.push(fresh)
  const { results, ok } = await check([databaseCheck], fullStack({ DATABASE_URL: fresh.url }))
  assert.equal(ok, false)
  assert.equal(results.get('database')?.verdict, 'fail')
  assert.match(results.get('database')?.summary ?? '', /migration\(s\) not applied: 001_core\.sql/)
  assert.match(results.get('database')?.fix ?? '', /crypto-viz migrate/)
})

test('a migrated database passes the migration part and reports the freshness of its rows', async () => {
  const migrated = await createTestDatabase()
  databases.push(migrated)
  const { results } = await check([databaseCheck], fullStack({ DATABASE_URL: migrated.url }))
  assert.equal(results.get('database')?.verdict, 'warn')
  assert.match(results.get('database')?.summary ?? '', /migrations applied; no rows yet/)
})

test('a database that does not answer fails the database check', async () => {
  const port = await closedPort()
  const { results } = await check(
    [databaseCheck],
    fullStack({ DATABASE_URL: `postgres://cryptoviz:secret@127.0.0.1:${port}/cryptoviz` })
  )
  assert.equal(results.get('database')?.verdict, 'fail')
  assert.match(results.get('database')?.summary ?? '', /not reachable/)
  assert.doesNotMatch(results.get('database')?.summary ?? '', /secret/)
})

test('Redis down fails the redis check; Redis up passes it', async () => {
  const port = await closedPort()
  const down = await check([redisCheck], fullStack({ REDIS_URL: `redis://127.0.0.1:${port}` }))
  assert.equal(down.results.get('redis')?.verdict, 'fail')
  assert.match(down.results.get('redis')?.fix ?? '', /infra\.sh start redis/)
  const up = await check([redisCheck], fullStack())
  assert.equal(up.results.get('redis')?.verdict, 'ok')
})

test('a producer topic without recent records fails the producers check; fresh records pass it', async () => {
  const [topic = ''] = await createTopics(1, 'doctor-fresh')
  const overrides = {
    topics: [{ name: topic, partitions: 1, replicationFactor: 1 }],
    producerTopics: [{ topic, source: 'kraken trade' }]
  }
  const empty = await check([brokerCheck, producersCheck], fullStack(), overrides)
  assert.equal(empty.results.get('producers')?.verdict, 'fail')
  assert.match(empty.results.get('producers')?.summary ?? '', new RegExp(`nothing recent on ${topic}`))
  await bus.publish([{ topic, key: 'BTC/USD', value: '{}' }])
  const fresh = await check([brokerCheck, producersCheck], fullStack(), overrides)
  assert.equal(fresh.results.get('producers')?.verdict, 'ok')
})

test('the checks run in the order the issue gives', () => {
  assert.deepEqual(
    doctorChecks.map(c => c.name),
    ['configuration', 'broker', 'topics', 'consumer groups', 'database', 'redis', 'producers', 'api']
  )
})
