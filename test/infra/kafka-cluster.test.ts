/**
 * `BROKERS=3 scripts/infra.sh start kafka`: a three-node KRaft cluster on this machine, in a folder
 * and on ports of its own, and the project's topics on it with the replication the configuration
 * asks for.
 */
import assert from 'node:assert/strict'
import { execFile, spawnSync } from 'node:child_process'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import { Admin, ConfigResourceTypes } from '@platformatic/kafka'
import { PrivateStack } from '../faults/private-stack.ts'

const run = promisify(execFile)

let stack: PrivateStack

before(async () => {
  stack = await PrivateStack.create({ brokers: 3 })
  stack.infra('start', 'kafka')
})

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
  assert.match(stdout, /rawtrade\s+created\s+3\s+3\s+0→\d 1→\d 2→\d/)
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
