/**
 * The bus inside the process: the same port as Kafka (bus.ts), over an append-only log persisted
 * in a local folder, for the single-process mode that needs nothing but Node.js.
 *
 * Layout of the folder (docs/bus.md has the details):
 *   LOCK                      the process id of the bus that has the folder open
 *   offsets.log               committed offsets of every consumer group (offset-store.ts)
 *   <topic>-<partition>/      one folder per partition, holding its segments
 *     00000000000000000000.log  records from offset 0 (record-format.ts), then the next segment…
 *
 * Topics are the declared ones only (like Kafka with auto-create off); keys go to the partition
 * Kafka would choose (partitioner.ts). A publish resolves once its records are fsynced (group
 * commit: one fsync per partition per round, shared by concurrent publishes).
 */
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { CryptoVizError, ErrorCodes, describeError } from '../../errors/errors.ts'
import type {
  Bus,
  BusInspector,
  BusRecord,
  ConsumerGroupOffsets,
  GroupPartitionOffsets,
  PartitionOffsets,
  SubscribeOptions,
  Subscription
} from '../bus.ts'
import { consumerGroupOffsets, groupPartitionOffsets } from '../group-offsets.ts'
import { partitionForKey } from '../partitioner.ts'
import { ConsumerGroup } from './consumer-group.ts'
import { type FolderLock, lockFolder } from './folder-lock.ts'
import { GroupCommit } from './group-commit.ts'
import { GroupMember } from './group-member.ts'
import { OffsetStore } from './offset-store.ts'
import { PartitionLog } from './partition-log.ts'
import { type EncodableRecord, MAX_RECORD_BYTES, encodedSize } from './record-format.ts'

export interface EmbeddedTopic {
  name: string
  partitions: number
  retentionMs: number
}

export interface EmbeddedBusOptions {
  /** The bus's own folder (the runtime uses DATA_DIR/embedded/bus). */
  dir: string
  /** The only topics that exist (the runtime passes the declared ones, topics.ts). */
  topics: readonly EmbeddedTopic[]
  log: Logger
  /** Size at which a partition starts a new segment. Default 16 MiB. */
  segmentBytes?: number
  /** Size budget per partition; the oldest segments are deleted beyond it. Default 128 MiB. */
  retentionBytes?: number
  /** fsync before publish resolves. Default true; false only for benchmarks. */
  sync?: boolean
  /** How long a rebalance waits for a member to finish its batch. Default 30 s (as the Kafka adapter). */
  rebalanceTimeoutMs?: number
  /** How often retention runs. Default every minute. */
  retentionCheckMs?: number
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,200}$/
const MiB = 1024 * 1024

export class EmbeddedBus implements Bus {
  readonly inspector: BusInspector
  readonly #options: EmbeddedBusOptions
  readonly #log: Logger
  readonly #lock: FolderLock
  readonly #partitions: Map<string, readonly PartitionLog[]>
  readonly #offsets: OffsetStore
  readonly #commit: GroupCommit
  readonly #groups = new Map<string, ConsumerGroup>()
  readonly #members = new Set<GroupMember>()
  readonly #retentionTimer: NodeJS.Timeout
  #closed: Promise<void> | undefined

  private constructor(
    options: EmbeddedBusOptions,
    lock: FolderLock,
    partitions: Map<string, readonly PartitionLog[]>,
    offsets: OffsetStore
  ) {
    this.#options = options
    this.#log = options.log.child({ component: 'embedded-bus' })
    this.#lock = lock
    this.#partitions = partitions
    this.#offsets = offsets
    this.#commit = new GroupCommit({ sync: options.sync ?? true })
    this.#retentionTimer = setInterval(() => void this.enforceRetention(), options.retentionCheckMs ?? 60_000)
    this.#retentionTimer.unref()
    this.inspector = {
      partitionOffsets: async topics => this.#partitionOffsets(topics),
      groupOffsets: async (groupId, topics) => this.#groupOffsets(groupId, topics),
      consumerGroups: async topics => this.#consumerGroups(topics)
    }
  }

  /** Opens (creating if needed) the log in `options.dir`, recovering any torn tail. */
  static async open(options: EmbeddedBusOptions): Promise<EmbeddedBus> {
    for (const topic of options.topics) {
      // topics.ts and the validated configuration only produce valid declarations: a bug otherwise.
      if (!TOPIC_NAME.test(topic.name) || !(topic.partitions >= 1))
        throw new Error(`invalid topic declaration ${JSON.stringify(topic)}`)
    }
    await mkdir(options.dir, { recursive: true })
    const lock = await lockFolder(options.dir)
    try {
      const partitions = new Map<string, readonly PartitionLog[]>()
      for (const topic of options.topics) partitions.set(topic.name, await openTopic(options, topic))
      await warnAboutUndeclared(options, partitions)
      const offsets = await OffsetStore.open(options.dir, options.log)
      const bus = new EmbeddedBus(options, lock, partitions, offsets)
      await bus.enforceRetention()
      return bus
    } catch (error) {
      await lock.release()
      if (error instanceof CryptoVizError) throw error
      throw new CryptoVizError(
        ErrorCodes.BUS_STORAGE,
        `opening the embedded bus in ${options.dir} failed: ${describeError(error)}`,
        { cause: error, fatal: true }
      )
    }
  }

  async publish(records: readonly BusRecord[]): Promise<void> {
    if (this.#closed !== undefined)
      throw new CryptoVizError(ErrorCodes.BUS_CLOSED, 'publish after the bus was closed')
    if (records.length === 0) return
    const timestamp = Date.now()
    const batches = new Map<PartitionLog, EncodableRecord[]>()
    for (const record of records) {
      const logs = this.#topic(record.topic)
      const log = logs[partitionForKey(record.key, logs.length)]
      if (log === undefined) throw new Error(`partitioner out of range for ${record.topic}`)
      const encodable = toEncodable(record, timestamp)
      const batch = batches.get(log)
      if (batch === undefined) batches.set(log, [encodable])
      else batch.push(encodable)
    }
    await this.#commit.append(batches)
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.#closed !== undefined)
      throw new CryptoVizError(ErrorCodes.BUS_CLOSED, 'subscribe after the bus was closed')
    for (const topic of options.topics) this.#topic(topic)
    let group = this.#groups.get(options.groupId)
    if (group === undefined) {
      group = new ConsumerGroup(options.groupId, this.#offsets, topic => this.#topic(topic), {
        rebalanceTimeoutMs: this.#options.rebalanceTimeoutMs ?? 30_000,
        log: this.#log
      })
      this.#groups.set(options.groupId, group)
    }
    const member = new GroupMember(group, options, this.#log)
    this.#members.add(member)
    await member.start()
    return {
      groupId: member.groupId,
      assignments: () => member.assignments(),
      close: async () => {
        await member.close()
        this.#members.delete(member)
      }
    }
  }

  /**
   * Deletes what retention allows as of `now`; runs every minute and at open. Returns segments
   * deleted. `now` is a parameter so that a test can check age-based retention as of a later time
   * instead of waiting for records to age.
   */
  async enforceRetention(now = Date.now()): Promise<number> {
    let deleted = 0
    for (const logs of this.#partitions.values()) {
      for (const log of logs) {
        deleted += await this.#commit
          // A check still running when the bus closes must not touch the closed files.
          .exclusive(async () => (this.#closed === undefined ? log.enforceRetention(now) : 0))
          .catch(error => {
            this.#log.error(
              { topic: log.topic, partition: log.partition, err: describeError(error) },
              'retention failed'
            )
            return 0
          })
      }
    }
    return deleted
  }

  close(): Promise<void> {
    this.#closed ??= this.#close()
    return this.#closed
  }

  async #close(): Promise<void> {
    clearInterval(this.#retentionTimer)
    await Promise.all([...this.#members].map(member => member.close()))
    this.#members.clear()
    await this.#commit.drain()
    for (const logs of this.#partitions.values()) await Promise.all(logs.map(log => log.close()))
    await this.#offsets
      .close()
      .catch(error => this.#log.warn({ err: describeError(error) }, 'offset store close failed'))
    await this.#lock.release()
  }

  #topic(name: string): readonly PartitionLog[] {
    const logs = this.#partitions.get(name)
    if (logs === undefined) {
      throw new CryptoVizError(
        ErrorCodes.BUS_UNKNOWN_TOPIC,
        `topic ${JSON.stringify(name)} does not exist on the embedded bus (declared: ${[...this.#partitions.keys()].join(', ')}); ` +
          'topics are declared in src/schemas/topics.ts'
      )
    }
    return logs
  }

  #partitionOffsets(topics: readonly string[]): PartitionOffsets[] {
    return topics.flatMap(topic =>
      this.#topic(topic).map(log => ({
        topic,
        partition: log.partition,
        start: log.startOffset,
        end: log.endOffset
      }))
    )
  }

  #groupOffsets(groupId: string, topics: readonly string[]): GroupPartitionOffsets[] {
    return this.#partitionOffsets(topics).map(offsets =>
      groupPartitionOffsets(offsets, this.#offsets.committed(groupId, offsets.topic, offsets.partition))
    )
  }

  #consumerGroups(topics: readonly string[]): ConsumerGroupOffsets[] {
    const groups = this.#offsets.groupIds().map(groupId => ({
      groupId,
      // Kafka's names for a group with members and one without, so the status reads alike on both buses.
      state: (this.#groups.get(groupId)?.size ?? 0) > 0 ? 'Stable' : 'Empty',
      committed: (topic: string, partition: number) => this.#offsets.committed(groupId, topic, partition)
    }))
    return consumerGroupOffsets(groups, this.#partitionOffsets(topics))
  }
}

async function openTopic(options: EmbeddedBusOptions, topic: EmbeddedTopic): Promise<PartitionLog[]> {
  const logs: PartitionLog[] = []
  for (let partition = 0; partition < topic.partitions; partition++) {
    logs.push(
      await PartitionLog.open({
        dir: join(options.dir, `${topic.name}-${partition}`),
        topic: topic.name,
        partition,
        segmentBytes: options.segmentBytes ?? 16 * MiB,
        retentionBytes: options.retentionBytes ?? 128 * MiB,
        retentionMs: topic.retentionMs,
        log: options.log
      })
    )
  }
  return logs
}

/** Partition folders the declaration no longer covers keep their data, but nothing reads them. */
async function warnAboutUndeclared(
  options: EmbeddedBusOptions,
  partitions: Map<string, readonly PartitionLog[]>
): Promise<void> {
  const undeclared = (await readdir(options.dir, { withFileTypes: true }))
    .filter(entry => entry.isDirectory())
    .map(entry => /^(.+)-(\d+)$/.exec(entry.name))
    .filter(match => match !== null)
    .filter(match => Number(match[2]) >= (partitions.get(match[1] ?? '')?.length ?? 0))
    .map(match => match[0])
  if (undeclared.length > 0) {
    options.log.warn(
      { folders: undeclared },
      'embedded bus: partition folders not covered by the declared topics are ignored (TOPIC_PARTITIONS lowered, or a topic removed)'
    )
  }
}

function toEncodable(record: BusRecord, timestamp: number): EncodableRecord {
  const value = typeof record.value === 'string' ? Buffer.from(record.value) : record.value
  const headers = Object.entries(record.headers ?? {})
  const encodable: EncodableRecord = { key: record.key, value, headers, timestamp }
  const size = encodedSize(encodable)
  if (
    size > MAX_RECORD_BYTES ||
    headers.length > 0xffff ||
    headers.some(([name]) => Buffer.byteLength(name) > 0xffff)
  ) {
    throw new CryptoVizError(
      ErrorCodes.BUS_PUBLISH,
      `a record of ${size} bytes (key ${JSON.stringify(record.key)}, ${headers.length} headers) is too large for the embedded bus ` +
        `(at most ${MAX_RECORD_BYTES} bytes, 65535 headers of names up to 65535 bytes)`
    )
  }
  return encodable
}
