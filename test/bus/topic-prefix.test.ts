/**
 * TOPIC_PREFIX: two deployments on one broker, each under its own prefix, keep their records apart,
 * while the pipeline keeps using the logical names of src/schemas/topics.ts.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { Admin } from '@platformatic/kafka'
import { createLagReader } from '../../src/api/pipeline/consumer-lag.ts'
import type { ConsumedRecord } from '../../src/bus/bus.ts'
import { createBus } from '../../src/bus/create-bus.ts'
import { TopicNames } from '../../src/schemas/topics.ts'
import { type Config, configFromEnv } from '../../src/config/config.ts'
import { silentLogger } from '../../src/log/logger.ts'
import type { DoctorReport } from '../../src/doctor/doctor.ts'
import { testKafka } from '../helpers/kafka.ts'
import { uniqueName } from '../helpers/names.ts'
import { waitFor } from '../helpers/wait.ts'

const run = promisify(execFile)

/** A prefix of our own; test/helpers/kafka.ts prunes `<unique name>.<topic>` topics of old runs. */
function uniquePrefix(what: string): string {
  return `${uniqueName(`t-${what}`)}.`
}

function prefixedConfig(prefix: string): Config {
  return configFromEnv({
    KAFKA_SERVERS: testKafka.servers.join(','),
    BUS: 'kafka',
    TOPIC_PREFIX: prefix,
    TOPIC_PARTITIONS: '2',
    LOG_LEVEL: 'silent'
  })
}

test('two deployments with different TOPIC_PREFIX on one broker read only their own records, under logical names', async () => {
  const deployments = await Promise.all(
    [uniquePrefix('blue'), uniquePrefix('green')].map(async prefix => {
      const config = prefixedConfig(prefix)
      const bus = await createBus(config, silentLogger())
      assert.ok(bus.inspector)
      const lag = createLagReader(bus.inspector, { topics: [TopicNames.trade] })
      return { prefix, bus, lag, received: [] as ConsumedRecord[], groupId: uniqueName('t-prefix-group') }
    })
  )
  try {
    for (const { bus, prefix } of deployments)
      await bus.publish(
        ['XBT/USD', 'ETH/USD', 'SOL/USD'].map(key => ({
          topic: TopicNames.trade,
          key,
          value: `${prefix}${key}`
        }))
      )
    const subscriptions = await Promise.all(
      deployments.map(d =>
        d.bus.subscribe({
          groupId: d.groupId,
          topics: [TopicNames.trade],
          handler: async batch => {
            d.received.push(...batch)
          }
        })
      )
    )
    for (const [index, d] of deployments.entries()) {
      const inspector = d.bus.inspector
      assert.ok(inspector)
      // Read to the end of its own topic: every partition committed at its end offset.
      await waitFor(`${d.prefix} group at the end of its rawtrade`, async () => {
        const offsets = await inspector.groupOffsets(d.groupId, [TopicNames.trade])
        return offsets.length === 2 && offsets.every(o => o.committed === o.end)
      })
      assert.deepEqual(
        d.received.map(r => r.value.toString()).sort(),
        [`${d.prefix}ETH/USD`, `${d.prefix}SOL/USD`, `${d.prefix}XBT/USD`],
        'exactly its own three records'
      )
      assert.ok(d.received.every(r => r.topic === TopicNames.trade))
      assert.ok(subscriptions[index]?.assignments().every(a => a.topic === TopicNames.trade))
      const ends = await inspector.partitionOffsets([TopicNames.trade])
      assert.equal(
        ends.reduce((sum, p) => sum + p.end, 0n),
        3n
      )
      // The API's lag reader sees this deployment's group on rawtrade, and not the other's.
      const groups = await d.lag()
      const ours = groups.find(g => g.groupId === d.groupId)
      assert.ok(ours, 'its own group is listed')
      assert.ok(ours.partitions.every(p => p.topic === TopicNames.trade && p.lag === 0))
      assert.equal(
        groups.some(g => g.groupId === deployments[1 - index]?.groupId),
        false,
        "the other deployment's group is not listed"
      )
    }
    const admin = new Admin({ clientId: 'crypto-viz-test-admin', bootstrapBrokers: [...testKafka.servers] })
    try {
      const names = new Set(await admin.listTopics())
      for (const d of deployments) assert.ok(names.has(`${d.prefix}rawtrade`), `${d.prefix}rawtrade exists`)
    } finally {
      await admin.close()
    }
  } finally {
    await Promise.all(deployments.map(d => d.bus.close()))
  }
})

test('the topics command and doctor name the topics with their TOPIC_PREFIX', async () => {
  const prefix = uniquePrefix('cli')
  const env = {
    PATH: process.env.PATH ?? '',
    KAFKA_SERVERS: testKafka.servers.join(','),
    TOPIC_PREFIX: prefix,
    TOPIC_PARTITIONS: '2',
    LOG_LEVEL: 'silent'
  }
  const topics = await run(process.execPath, ['src/cli.ts', 'topics'], { env })
  assert.match(topics.stdout, new RegExp(`${prefix.replaceAll('.', '\\.')}rawtrade\\s+created\\s+2\\s+1`))
  assert.match(topics.stdout, /7 topic\(s\) created, grown or reconfigured/)

  // Doctor exits 1 here (no API, no roles running): only its topics check matters.
  const doctor = await run(process.execPath, ['src/cli.ts', 'doctor', '--json', '--timeout', '5000'], {
    env
  }).catch((error: { stdout: string }) => error)
  const report = JSON.parse(doctor.stdout) as DoctorReport
  const topicsCheck = report.results.find(r => r.check === 'topics')
  assert.equal(topicsCheck?.verdict, 'ok')
  assert.ok(
    topicsCheck.details.includes(`${prefix}rawtrade: 2 partition(s), replication 1`),
    topicsCheck.details.join('\n')
  )
})
