/**
 * Bus throughput: publish, then consume with one group member, N small keyed records through the
 * embedded bus (fsync on, as shipped, and off, to show what the fsyncs cost) and through Kafka for
 * comparison. Prints records/s with the machine's parallelism; never part of the test suite.
 *
 *   npm run bench:bus -- [--records 200000] [--size 100] [--batch 500] [--concurrency 4] [--no-kafka]
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Admin } from '@platformatic/kafka'
import type { Bus, BusRecord } from '../src/bus/bus.ts'
import { EmbeddedBus } from '../src/bus/embedded/embedded-bus.ts'
import { KafkaBus } from '../src/bus/kafka/kafka-bus.ts'
import { silentLogger } from '../src/log/logger.ts'

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    size: { type: 'string', default: '100' },
    batch: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '4' },
    partitions: { type: 'string', default: '3' },
    'no-kafka': { type: 'boolean', default: false },
    'kafka-servers': { type: 'string', default: process.env.KAFKA_SERVERS ?? '127.0.0.1:9092' }
  }
})
const total = Number(args.records)
const size = Number(args.size)
const batchSize = Number(args.batch)
const concurrency = Number(args.concurrency)
const partitions = Number(args.partitions)
const symbols = Array.from({ length: 20 }, (_, i) => `SYM${i}/USD`)
const log = silentLogger()

interface Result {
  name: string
  publishPerSec: number
  consumePerSec: number
}

function records(topic: string, from: number, count: number): BusRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i
    const head = `{"n":${n},"p":"`
    return { topic, key: symbols[n % symbols.length] ?? 'k', value: head.padEnd(size - 2, '9') + '"}' }
  })
}

/** `concurrency` producers, each awaiting its own publishes of `batch` records. */
async function publishAll(bus: Bus, topic: string): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const from = next
        const count = Math.min(batchSize, total - from)
        next += count
        await bus.publish(records(topic, from, count))
      }
    })
  )
  return total / ((performance.now() - started) / 1000)
}

async function consumeAll(bus: Bus, topic: string): Promise<number> {
  let seen = 0
  let done = (): void => undefined
  const finished = new Promise<void>(resolve => (done = resolve))
  const started = performance.now()
  const subscription = await bus.subscribe({
    groupId: `bench-${Date.now()}`,
    topics: [topic],
    maxBatchRecords: 1000,
    handler: async batch => {
      seen += batch.length
      if (seen >= total) done()
    }
  })
  await finished
  const rate = total / ((performance.now() - started) / 1000)
  await subscription.close()
  return rate
}

async function embedded(sync: boolean): Promise<Result> {
  const dir = await mkdtemp(join(os.tmpdir(), 'cv-bench-bus-'))
  try {
    const bus = await EmbeddedBus.open({
      dir,
      topics: [{ name: 'bench', partitions, retentionMs: 3_600_000 }],
      sync,
      log
    })
    const publishPerSec = await publishAll(bus, 'bench')
    const consumePerSec = await consumeAll(bus, 'bench')
    await bus.close()
    return { name: `embedded, fsync ${sync ? 'on ' : 'off'}`, publishPerSec, consumePerSec }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function kafka(): Promise<Result | string> {
  const servers = (args['kafka-servers'] ?? '').split(',')
  const admin = new Admin({ clientId: 'crypto-viz-bench', bootstrapBrokers: servers, retries: 0 })
  const topic = `bench-${Date.now().toString(36)}`
  try {
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 })
  } catch (error) {
    await admin.close().catch(() => undefined)
    return `Kafka at ${servers.join(',')} not usable (${(error as Error).message}); skipped`
  }
  const bus = new KafkaBus({ servers, clientId: 'crypto-viz-bench' }, log)
  try {
    const publishPerSec = await publishAll(bus, topic)
    const consumePerSec = await consumeAll(bus, topic)
    return { name: 'Kafka (acks=all, idempotent)', publishPerSec, consumePerSec }
  } finally {
    await bus.close()
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined)
    await admin.close()
  }
}

const rate = (n: number): string => `${Math.round(n).toLocaleString('en-US')} records/s`.padStart(18)

console.log(
  `bus benchmark: ${total.toLocaleString('en-US')} records of ${size} B, ${symbols.length} keys, ${partitions} partitions; ` +
    `${concurrency} concurrent publishers of ${batchSize}-record batches; one consumer, batches of 1000`
)
console.log(
  `machine: os.availableParallelism() = ${os.availableParallelism()}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ` +
    `Node ${process.version}, ${os.platform()} ${os.release()} (shared and noisy: compare runs, not single figures)`
)
const results: (Result | string)[] = [await embedded(true), await embedded(false)]
if (!args['no-kafka']) results.push(await kafka())
for (const result of results) {
  if (typeof result === 'string') console.log(result)
  else
    console.log(
      `${result.name.padEnd(30)} publish ${rate(result.publishPerSec)}   consume ${rate(result.consumePerSec)}`
    )
}
