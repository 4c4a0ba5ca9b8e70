/**
 * `BROKERS=3 scripts/infra.sh start kafka`: a three-node KRaft cluster on this machine, in a folder
 * and on ports of its own, the project's topics on it with the replication the configuration asks
 * for, and what doctor says when a broker of it dies.
 */
import assert from 'node:assert/strict'
import { execFile, spawnSync } from 'node:child_process'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import { Admin, ConfigResourceTypes } from '@platformatic/kafka'
import { kafkaConnection } from '../../src/bus/kafka/kafka-options.ts'
import { ensureTopics } from '../../src/bus/kafka/topic-admin.ts'
import { TopicNames, declaredTopics } from '../../src/schemas/topics.ts'
import { configFromEnv } from '../../src/config/config.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { brokerCheck } from '../../src/doctor/check-broker.ts'
import { topicsCheck } from '../../src/doctor/check-topics.ts'
import { type CheckResult, runDoctor } from '../../src/doctor/doctor.ts'
import { doctorContext } from '../../src/doctor/doctor-context.ts'
import { PrivateStack } from '../faults/private-stack.ts'
import { uniqueName } from '../helpers/names.ts'
import { waitFor } from '../helpers/wait.ts'

const run = promisify(execFile)

let stack: PrivateStack

// Three JVMs starting on two busy cores: up to infra.sh's ready timeout (240 s) per node.
before(
  async () => {
    stack = await PrivateStack.create({ brokers: 3 })
    stack.infra('start', 'kafka')
  },
  { timeout: 600_000 }
)

after(() => stack.dispose(process.env.KEEP_CLUSTER === '1'))

function clusterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    KAFKA_SERVERS: stack.kafkaServers,
    LOG_LEVEL: 'silent',
    ...extra
  }
}

function admin(): Admin {
  return new Admin({ clientId: 'crypto-viz-test-cluster', bootstrapBrokers: stack.kafkaServers.split(',') })
}

test('infra.sh starts three Kafka nodes on their own ports, and status names each', async () => {
  const status = spawnSync('bash', ['scripts/infra.sh', 'status'], {
    env: { ...process.env, CRYPTO_VIZ_DATA_DIR: stack.dir, KAFKA_PORT: String(stack.kafkaPort) },
    encoding: 'utf8'
  })
  for (const [index, server] of stack.kafkaServers.split(',').entries())
    assert.match(status.stdout, new RegExp(`kafka-${index + 1} +up +${server}`))
  const client = admin()
  try {
    const metadata = await client.metadata({ topics: [] })
    assert.deepEqual(
      [...metadata.brokers.keys()].sort(),
      [1, 2, 3],
      'every node registered as a broker of one cluster'
    )
  } finally {
    await client.close()
  }
})

test('the topics command on the cluster creates every topic with replication factor 3 and min.insync.replicas 2', async () => {
  const { stdout } = await run(process.execPath, ['src/cli.ts', 'topics'], {
    env: clusterEnv({ TOPIC_REPLICATION_FACTOR: '3', TOPIC_MIN_INSYNC_REPLICAS: '2' })
  })
  assert.match(stdout, /rawtrade\s+created\s+3\s+3\s+2\s+0→\d 1→\d 2→\d/)
  const client = admin()
  try {
    const metadata = await client.metadata({ topics: ['rawtrade', 'deadletter'] })
    for (const topic of metadata.topics.values())
      for (const partition of topic.partitions) assert.deepEqual([...partition.replicas].sort(), [1, 2, 3])
    const [described] = await client.describeConfigs({
      resources: [
        {
          resourceType: ConfigResourceTypes.TOPIC,
          resourceName: 'rawtrade',
          configurationKeys: ['min.insync.replicas']
        }
      ]
    })
    assert.equal(described?.configs.find(c => c.name === 'min.insync.replicas')?.value, '2')
  } finally {
    await client.close()
  }
})

// Its waits are for the cluster (a broker fenced after its session timeout, then back in sync), a
// few tens of seconds when it goes well: the ceiling is for a broken build on a loaded machine.
test(
  'doctor warns of a killed broker and its under-replicated partitions, fails on partitions left offline, and is healthy once it is back',
  { timeout: 600_000 },
  async () => {
    const config = configFromEnv({
      KAFKA_SERVERS: stack.kafkaServers,
      TOPIC_REPLICATION_FACTOR: '3',
      TOPIC_MIN_INSYNC_REPLICAS: '2',
      LOG_LEVEL: 'silent'
    })
    const declared = declaredTopics(config.topics)
    await ensureTopics(kafkaConnection(config), declared, { readyTimeoutMs: 60_000, log: silentLogger() })
    // One copy per partition, spread over the three brokers: the victim's partition goes offline.
    const single = uniqueName('t-single-copy')
    const client = admin()
    let victim: number
    try {
      await client.createTopics({ topics: [single], partitions: 3, replicas: 1 })
      const held = await waitFor('the single-copy topic to have leaders', async () => {
        const metadata = await client.metadata({ topics: [single], forceUpdate: true }).catch(() => undefined)
        const leaders = metadata?.topics.get(single)?.partitions.map(p => p.leader) ?? []
        return leaders.length === 3 && leaders.every(l => l >= 0) && leaders
      })
      victim = held[0] ?? 1
    } finally {
      await client.close()
    }
    const topics = [...declared, { name: single, partitions: 3, replicationFactor: 1, minInsyncReplicas: 1 }]
    const doctor = async (): Promise<Map<string, CheckResult>> => {
      const context = doctorContext(config, { timeoutMs: 30_000 }, { topics })
      try {
        const report = await runDoctor(context, [brokerCheck, topicsCheck])
        return new Map(report.results.map(r => [r.check, r]))
      } finally {
        await context.bus.close()
      }
    }
    const healthy = async (): Promise<boolean> => {
      const results = await doctor()
      return results.get('broker')?.verdict === 'ok' && results.get('topics')?.verdict === 'ok'
    }
    await waitFor('doctor to find the cluster healthy', healthy, 120_000, 500)

    const pid = stack.kafkaPid(victim)
    assert.ok(pid !== undefined, `node ${victim} has a pid file`)
    process.kill(pid, 'SIGKILL')
    // The controller fences the broker after its session times out, then shrinks the in-sync sets.
    const during = await waitFor(
      `doctor to see broker ${victim} missing and its replicas out of sync`,
      async () => {
        const results = await doctor()
        const topicsSummary = results.get('topics')?.summary ?? ''
        return (
          results.get('broker')?.verdict === 'warn' &&
          /under-replicated/.test(topicsSummary) &&
          /offline/.test(topicsSummary) &&
          results
        )
      },
      180_000,
      1_000
    )
    assert.match(
      during.get('broker')?.summary ?? '',
      new RegExp(`broker\\(s\\) ${victim} missing from the cluster`)
    )
    assert.match(during.get('broker')?.fix ?? '', new RegExp(`infra\\.sh start kafka-${victim}`))
    const topicsResult = during.get('topics')
    assert.equal(topicsResult?.verdict, 'fail', 'an offline partition fails the topics check')
    assert.match(topicsResult.summary, new RegExp(`${single} has partition\\(s\\) 0 offline \\(no leader\\)`))
    assert.match(
      topicsResult.summary,
      new RegExp(`${TopicNames.trade} has under-replicated partition\\(s\\) 0 \\(2/3 in sync\\)`)
    )

    // The terminal report shows both as FAIL and WARN lines.
    const cli = await run(process.execPath, ['src/cli.ts', 'doctor', '--timeout', '20000'], {
      env: clusterEnv({ TOPIC_REPLICATION_FACTOR: '3', TOPIC_MIN_INSYNC_REPLICAS: '2' })
    }).catch((error: { stdout: string }) => error)
    assert.match(cli.stdout, new RegExp(`WARN {2}broker +broker\\(s\\) ${victim} missing from the cluster`))
    assert.match(cli.stdout, /WARN {2}topics +.*under-replicated|FAIL {2}topics +.*under-replicated/)

    stack.infra('start', `kafka-${victim}`)
    await waitFor(`doctor to find the cluster healthy with broker ${victim} back`, healthy, 180_000, 1_000)
  }
)
