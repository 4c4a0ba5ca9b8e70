/**
 * Offsets and lag through the Kafka admin API (Metadata, ListOffsets, OffsetFetch): what
 * `kafka-consumer-groups --describe` shows, in the port's terms, so the API and `doctor` read lag the
 * same way from either bus. Callers name topics logically; the broker is asked under TOPIC_PREFIX.
 * The admin connection is opened on first use and closed with the bus.
 */
import { Admin } from '@platformatic/kafka'
import { CryptoVizError, ErrorCodes, describeError } from '../../errors/errors.ts'
import type { BusInspector, GroupPartitionOffsets, PartitionOffsets } from '../bus.ts'
import { groupPartitionOffsets } from '../group-offsets.ts'
import { isUnknownTopic } from './kafka-errors.ts'
import { type KafkaConnection, baseOptions, brokerTopic } from './kafka-options.ts'

// ListOffsets' special timestamps: the log start and the high watermark.
const EARLIEST = -2n
const LATEST = -1n

export class KafkaInspector implements BusInspector {
  readonly #connection: KafkaConnection
  #admin: Admin | undefined

  constructor(connection: KafkaConnection) {
    this.#connection = connection
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

  async close(): Promise<void> {
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
