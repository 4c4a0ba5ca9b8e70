/**
 * Offsets and lag through the Kafka admin API (Metadata, ListOffsets, ListGroups, OffsetFetch): what
 * `kafka-consumer-groups --describe` shows, in the port's terms, so the API and `doctor` read lag the
 * same way from either bus. Callers name topics logically; the broker is asked under TOPIC_PREFIX.
 * The admin connection is opened on first use and closed with the bus, or is the caller's (doctor's,
 * with its one-attempt timeouts).
 */
import { Admin } from '@platformatic/kafka'
import { CryptoVizError, ErrorCodes, describeError } from '../../errors/errors.ts'
import type { BusInspector, ConsumerGroupOffsets, GroupPartitionOffsets, PartitionOffsets } from '../bus.ts'
import { consumerGroupOffsets, groupPartitionOffsets } from '../group-offsets.ts'
import { isUnknownTopic } from './kafka-errors.ts'
import { type KafkaConnection, baseOptions, brokerTopic, logicalTopic } from './kafka-options.ts'

// ListOffsets' special timestamps: the log start and the high watermark.
const EARLIEST = -2n
const LATEST = -1n

export class KafkaInspector implements BusInspector {
  readonly #connection: KafkaConnection
  #admin: Admin | undefined
  /** An admin client of the caller's (its own timeouts and retries), which the caller closes. */
  readonly #borrowed: boolean

  constructor(connection: KafkaConnection, admin?: Admin) {
    this.#connection = connection
    this.#admin = admin
    this.#borrowed = admin !== undefined
  }

  async partitionOffsets(topics: readonly string[]): Promise<PartitionOffsets[]> {
    if (topics.length === 0) return []
    const admin = this.#getAdmin()
    const names = topics.map(topic => brokerTopic(this.#connection, topic))
    try {
      const metadata = await admin.metadata({ topics: [...names] })
      const request = (timestamp: bigint) => ({
        topics: names.map(name => ({
          name,
          partitions: Array.from({ length: metadata.topics.get(name)?.partitionsCount ?? 0 }, (_, p) => ({
            partitionIndex: p,
            timestamp
          }))
        }))
      })
      const [starts, ends] = await Promise.all([
        admin.listOffsets(request(EARLIEST)),
        admin.listOffsets(request(LATEST))
      ])
      const offsetOf = (listed: typeof starts, topic: string, partition: number): bigint =>
        listed.find(t => t.name === topic)?.partitions.find(p => p.partitionIndex === partition)?.offset ?? 0n
      return request(LATEST).topics.flatMap(({ name, partitions }, index) =>
        partitions.map(({ partitionIndex }) => ({
          topic: topics[index] ?? name,
          partition: partitionIndex,
          start: offsetOf(starts, name, partitionIndex),
          end: offsetOf(ends, name, partitionIndex)
        }))
      )
    } catch (error) {
      throw this.#failure(error, topics)
    }
  }

  async groupOffsets(groupId: string, topics: readonly string[]): Promise<GroupPartitionOffsets[]> {
    const offsets = await this.partitionOffsets(topics)
    try {
      const [group] = await this.#getAdmin().listConsumerGroupOffsets({
        groups: [
          {
            groupId,
            topics: topics.map(topic => ({
              name: brokerTopic(this.#connection, topic),
              partitionIndexes: offsets.filter(o => o.topic === topic).map(o => o.partition)
            }))
          }
        ]
      })
      return offsets.map(partition => {
        const committed = group?.topics
          .find(t => t.name === brokerTopic(this.#connection, partition.topic))
          ?.partitions.find(p => p.partitionIndex === partition.partition)?.committedOffset
        // The broker answers -1 for a partition the group never committed on.
        return groupPartitionOffsets(
          partition,
          committed !== undefined && committed >= 0n ? committed : undefined
        )
      })
    } catch (error) {
      throw this.#failure(error, topics)
    }
  }

  async consumerGroups(topics: readonly string[]): Promise<ConsumerGroupOffsets[]> {
    const wanted = new Set(topics)
    // A broker name outside TOPIC_PREFIX has no logical name: another deployment's topic never counts.
    const ours = (brokerName: string): string | undefined => {
      const logical = logicalTopic(this.#connection, brokerName)
      return logical !== undefined && wanted.has(logical) ? logical : undefined
    }
    const commits = new Map<string, Map<string, bigint>>()
    const committedTopics = new Set<string>()
    const states = new Map<string, string>()
    try {
      const admin = this.#getAdmin()
      const groups = [...(await admin.listGroups()).values()].filter(g => g.protocolType === 'consumer')
      if (groups.length === 0) return []
      for (const group of groups) states.set(group.id, String(group.state))
      // Without topics named, the broker answers every partition each group committed on, in one request.
      for (const group of await admin.listConsumerGroupOffsets({ groups: groups.map(g => g.id) })) {
        const committed = new Map<string, bigint>()
        for (const topic of group.topics) {
          const logical = ours(topic.name)
          if (logical === undefined) continue
          for (const p of topic.partitions)
            if (p.committedOffset >= 0n) {
              committed.set(`${logical}\u0000${p.partitionIndex}`, p.committedOffset)
              committedTopics.add(logical)
            }
        }
        commits.set(group.groupId, committed)
      }
    } catch (error) {
      throw this.#failure(error, topics)
    }
    // Offsets only of the topics some group committed on: a declared topic not created yet is no error.
    const read = topics.filter(topic => committedTopics.has(topic))
    if (read.length === 0) return []
    return consumerGroupOffsets(
      [...commits].map(([groupId, committed]) => ({
        groupId,
        state: states.get(groupId) ?? 'unknown',
        committed: (topic: string, partition: number) => committed.get(`${topic}\u0000${partition}`)
      })),
      await this.partitionOffsets(read)
    )
  }

  async close(): Promise<void> {
    if (this.#borrowed) return
    await this.#admin?.close().catch(() => undefined)
    this.#admin = undefined
  }

  #getAdmin(): Admin {
    this.#admin ??= new Admin(baseOptions(this.#connection, 'inspector'))
    return this.#admin
  }

  #failure(error: unknown, topics: readonly string[]): CryptoVizError {
    if (isUnknownTopic(error))
      return new CryptoVizError(
        ErrorCodes.BUS_UNKNOWN_TOPIC,
        `${describeError(error)} (asked for ${topics.join(', ')})`,
        {
          cause: error
        }
      )
    return new CryptoVizError(
      ErrorCodes.TOPIC_ADMIN,
      `reading offsets from Kafka at ${this.#connection.servers.join(',')} failed: ${describeError(error)}`,
      { cause: error, retryable: true }
    )
  }
}
