/**
 * Creates the declared topics through the Kafka admin API: waits for the broker (retries with
 * backoff until a deadline), creates what is missing, then describes every topic and reports
 * partitions and leaders under the broker's names (TOPIC_PREFIX in front). Idempotent; an existing
 * topic that differs from its declaration is reported as a mismatch, never silently accepted.
 * min.insync.replicas is a topic config, not metadata: it is read with DescribeConfigs and, when
 * asked, set back to the declaration with IncrementalAlterConfigs (safe: only that key changes).
 */
import { Admin, ConfigResourceTypes, IncrementalAlterConfigOperationTypes } from '@platformatic/kafka'
import type { Logger } from 'pino'
import { equalJitterDelay, sleep } from '../../lib/backoff.ts'
import { CryptoVizError, ErrorCodes, describeError } from '../../errors/errors.ts'
import type { TopicSpec } from '../../schemas/topics.ts'
import { type KafkaConnection, baseOptions, brokerTopic } from './kafka-options.ts'

export type TopicOutcome = 'created' | 'unchanged' | 'grown' | 'reconfigured' | 'mismatch'

export interface TopicReport {
  /** The name on the broker: the declared name after TOPIC_PREFIX. */
  name: string
  outcome: TopicOutcome
  declaredPartitions: number
  partitions: number
  declaredReplicationFactor: number
  replicationFactor: number
  declaredMinInsyncReplicas: number
  /** The topic's min.insync.replicas on the broker (after a fix, the value set); undefined if unreadable. */
  minInsyncReplicas: number | undefined
  /** Leader broker id per partition, in partition order (-1: no leader yet). */
  leaders: number[]
  /** Why the topic is a mismatch, in words. */
  problems: string[]
}

export interface EnsureTopicsOptions {
  readyTimeoutMs: number
  /** Add partitions to topics that have fewer than declared (never removes; Kafka cannot). */
  growPartitions?: boolean
  /** Set min.insync.replicas of existing topics to the declared value where it differs. */
  fixMinInsync?: boolean
  log: Logger
  /** Called before each wait, for a progress line. */
  onWait?: (attempt: number, lastError: string) => void
  /** What the deadline is measured by and waited on; a test passes its own to run without waiting. */
  clock?: WaitClock
}

/** The time source of the wait for the broker: epoch milliseconds, and a pause of `ms`. */
export interface WaitClock {
  now(): number
  sleep(ms: number): Promise<void>
}

const wallClock: WaitClock = { now: () => Date.now(), sleep: ms => sleep(ms) }

export function createAdmin(connection: KafkaConnection): Admin {
  return new Admin({ ...baseOptions(connection, 'admin'), retries: 0 })
}

/** Resolves once the broker answers a metadata request; throws BROKER_UNREACHABLE after the deadline. */
export async function waitForBroker(
  admin: Admin,
  connection: KafkaConnection,
  options: Pick<EnsureTopicsOptions, 'readyTimeoutMs' | 'onWait' | 'clock'>
): Promise<void> {
  const clock = options.clock ?? wallClock
  const deadline = clock.now() + options.readyTimeoutMs
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.listTopics()
      return
    } catch (error) {
      const remaining = deadline - clock.now()
      if (remaining <= 0) {
        throw new CryptoVizError(
          ErrorCodes.BROKER_UNREACHABLE,
          `Kafka at ${connection.servers.join(',')} not reachable after ${Math.round(options.readyTimeoutMs / 1000)} s ` +
            `(${attempt} attempts; last error: ${describeError(error)}). Is Kafka running? ` +
            'Start it with scripts/infra.sh start kafka (or docker compose up -d kafka), check KAFKA_SERVERS, ' +
            'or wait longer with KAFKA_READY_TIMEOUT_MS.',
          { cause: error, retryable: true }
        )
      }
      options.onWait?.(attempt, describeError(error))
      await clock.sleep(Math.min(remaining, equalJitterDelay(attempt, { initialMs: 250, maxMs: 5_000 })))
    }
  }
}

async function describe(admin: Admin, names: string[], grownTo: ReadonlyMap<string, number> = new Map()) {
  // A freshly created topic may be unknown to the broker's metadata cache, or leaderless, for a
  // moment, and freshly added partitions may not be in it yet: ask again (bounded) until every
  // partition has a leader and every grown topic shows its new count.
  for (let attempt = 1; ; attempt++) {
    try {
      const metadata = await admin.metadata({ topics: names, forceUpdate: true })
      const leaderless = names.some(name =>
        (metadata.topics.get(name)?.partitions ?? []).some(partition => partition.leader < 0)
      )
      const behind = [...grownTo].some(
        ([name, count]) => (metadata.topics.get(name)?.partitionsCount ?? 0) < count
      )
      if ((!leaderless && !behind) || attempt >= 40) return metadata
    } catch (error) {
      if (attempt >= 40)
        throw new CryptoVizError(
          ErrorCodes.TOPIC_ADMIN,
          `describing topics failed: ${describeError(error)}`,
          {
            cause: error,
            retryable: true
          }
        )
    }
    await sleep(250)
  }
}

/** A declaration under the name the broker holds it by. */
type BrokerTopicSpec = Omit<TopicSpec, 'name'> & { name: string }

export async function ensureTopics(
  connection: KafkaConnection,
  declared: readonly TopicSpec[],
  options: EnsureTopicsOptions
): Promise<TopicReport[]> {
  const specs: BrokerTopicSpec[] = declared.map(spec => ({
    ...spec,
    name: brokerTopic(connection, spec.name)
  }))
  const admin = createAdmin(connection)
  try {
    await waitForBroker(admin, connection, options)
    const existing = new Set(await admin.listTopics())
    const created = new Set<string>()
    for (const spec of specs.filter(s => !existing.has(s.name))) {
      try {
        await admin.createTopics({
          topics: [spec.name],
          partitions: spec.partitions,
          replicas: spec.replicationFactor,
          configs: [
            { name: 'retention.ms', value: String(spec.retentionMs) },
            { name: 'min.insync.replicas', value: String(spec.minInsyncReplicas) }
          ]
        })
        created.add(spec.name)
        options.log.info({ topic: spec.name, partitions: spec.partitions }, 'topic created')
      } catch (error) {
        // Another process may have created it between our list and create: then it simply exists.
        if (!/already exists/i.test(describeError(error))) {
          throw new CryptoVizError(
            ErrorCodes.TOPIC_ADMIN,
            `creating topic ${spec.name} failed: ${describeError(error)}`,
            {
              cause: error
            }
          )
        }
      }
    }
    const grown = options.growPartitions ? await grow(admin, specs, existing) : new Set<string>()
    const names = specs.map(s => s.name)
    const minInsync = await readMinInsyncSettled(admin, names)
    const reconfigured = options.fixMinInsync
      ? await fixMinInsync(admin, specs, minInsync, options.log)
      : new Set<string>()
    const metadata = await describe(
      admin,
      specs.map(s => s.name),
      new Map(specs.filter(s => grown.has(s.name)).map(s => [s.name, s.partitions]))
    )
    return specs.map(spec => {
      const topic = metadata.topics.get(spec.name)
      const partitions = topic?.partitionsCount ?? 0
      const replicationFactor = topic?.partitions[0]?.replicas.length ?? 0
      const problems: string[] = []
      if (partitions !== spec.partitions)
        problems.push(
          `has ${partitions} partitions, declared ${spec.partitions}` +
            (partitions < spec.partitions
              ? ' (run `crypto-viz topics --grow-partitions` to add partitions; keyed records move)'
              : ' (Kafka cannot remove partitions: set TOPIC_PARTITIONS to match, or delete and recreate the topic)')
        )
      if (replicationFactor !== spec.replicationFactor)
        problems.push(`has replication factor ${replicationFactor}, declared ${spec.replicationFactor}`)
      const brokerMinInsync = reconfigured.has(spec.name) ? spec.minInsyncReplicas : minInsync.get(spec.name)
      if (brokerMinInsync !== undefined && brokerMinInsync !== spec.minInsyncReplicas)
        problems.push(minInsyncDrift(spec.name, brokerMinInsync, spec.minInsyncReplicas))
      const outcome: TopicOutcome =
        problems.length > 0
          ? 'mismatch'
          : created.has(spec.name)
            ? 'created'
            : grown.has(spec.name)
              ? 'grown'
              : reconfigured.has(spec.name)
                ? 'reconfigured'
                : 'unchanged'
      return {
        name: spec.name,
        outcome,
        declaredPartitions: spec.partitions,
        partitions,
        declaredReplicationFactor: spec.replicationFactor,
        replicationFactor,
        declaredMinInsyncReplicas: spec.minInsyncReplicas,
        minInsyncReplicas: brokerMinInsync,
        leaders: (topic?.partitions ?? []).map(p => p.leader),
        problems
      }
    })
  } finally {
    await admin.close().catch(() => undefined)
  }
}

async function grow(
  admin: Admin,
  specs: readonly BrokerTopicSpec[],
  existing: Set<string>
): Promise<Set<string>> {
  const metadata = await admin.metadata({ topics: specs.filter(s => existing.has(s.name)).map(s => s.name) })
  const grown = new Set<string>()
  for (const spec of specs) {
    const current = metadata.topics.get(spec.name)?.partitionsCount
    if (current !== undefined && current < spec.partitions) {
      await admin.createPartitions({ topics: [{ name: spec.name, count: spec.partitions }] })
      grown.add(spec.name)
    }
  }
  return grown
}

/**
 * The words of a min.insync.replicas drift and both ways out, shared by `topics` and doctor: the
 * broker's value is what acks=all writes are held to, so neither side is silently right.
 */
export function minInsyncDrift(topic: string, broker: number, declared: number): string {
  return (
    `has min.insync.replicas ${broker} on the broker, configured ${declared} (TOPIC_MIN_INSYNC_REPLICAS): ` +
    `run \`crypto-viz topics --fix-min-insync\` (or kafka-configs.sh --bootstrap-server <broker> --alter ` +
    `--entity-type topics --entity-name ${topic} --add-config min.insync.replicas=${declared}), ` +
    `or set TOPIC_MIN_INSYNC_REPLICAS=${broker} if the broker is right`
  )
}

/**
 * Each named topic's min.insync.replicas as the broker holds it (its own setting or the broker's
 * default); a topic that does not exist or answers with an error is left out.
 */
export async function readMinInsync(admin: Admin, names: readonly string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map()
  const descriptions = await admin.describeConfigs({
    resources: names.map(name => ({
      resourceType: ConfigResourceTypes.TOPIC,
      resourceName: name,
      configurationKeys: ['min.insync.replicas']
    }))
  })
  const values = new Map<string, number>()
  for (const description of descriptions) {
    const value = description.configs.find(c => c.name === 'min.insync.replicas')?.value
    const parsed = value === null || value === undefined ? Number.NaN : Number(value)
    if (Number.isInteger(parsed)) values.set(description.resourceName, parsed)
  }
  return values
}

/**
 * readMinInsync, asked again (bounded) while the broker does not know a freshly created topic's
 * configs yet: it answers UNKNOWN_TOPIC_OR_PARTITION for a moment after the creation.
 */
async function readMinInsyncSettled(admin: Admin, names: readonly string[]): Promise<Map<string, number>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readMinInsync(admin, names)
    } catch (error) {
      if (attempt >= 40)
        throw new CryptoVizError(
          ErrorCodes.TOPIC_ADMIN,
          `reading min.insync.replicas of ${names.join(', ')} failed: ${describeError(error)}`,
          { cause: error, retryable: true }
        )
    }
    await sleep(250)
  }
}

async function fixMinInsync(
  admin: Admin,
  specs: readonly BrokerTopicSpec[],
  current: ReadonlyMap<string, number>,
  log: Logger
): Promise<Set<string>> {
  const drifted = specs.filter(spec => {
    const value = current.get(spec.name)
    return value !== undefined && value !== spec.minInsyncReplicas
  })
  if (drifted.length === 0) return new Set()
  try {
    await admin.incrementalAlterConfigs({
      resources: drifted.map(spec => ({
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName: spec.name,
        configs: [
          {
            name: 'min.insync.replicas',
            configOperation: IncrementalAlterConfigOperationTypes.SET,
            value: String(spec.minInsyncReplicas)
          }
        ]
      }))
    })
  } catch (error) {
    throw new CryptoVizError(
      ErrorCodes.TOPIC_ADMIN,
      `setting min.insync.replicas on ${drifted.map(s => s.name).join(', ')} failed: ${describeError(error)} ` +
        '(the broker refuses a value above the replication factor; check TOPIC_MIN_INSYNC_REPLICAS)',
      { cause: error }
    )
  }
  for (const spec of drifted)
    log.info(
      { topic: spec.name, from: current.get(spec.name), to: spec.minInsyncReplicas },
      'topic min.insync.replicas set'
    )
  return new Set(drifted.map(s => s.name))
}
