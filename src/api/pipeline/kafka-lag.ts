/**
 * Kafka consumer lag per group and partition, through the admin API: the groups' committed offsets
 * against the partitions' end offsets. Kept behind the small `LagReader` function type so the
 * pipeline status can be tested with a stub and the source swapped (e.g. for a lag capability of the
 * bus port) without touching its callers.
 */
import { Admin, ListOffsetTimestamps } from '@platformatic/kafka'
import { baseOptions, type KafkaConnection, logicalTopic } from '../../bus/kafka/kafka-options.ts'

export interface PartitionLag {
  topic: string
  partition: number
  /** -1 when the group has committed nothing on this partition yet. */
  committedOffset: number
  endOffset: number
  /** End offset minus committed offset; the whole partition when nothing is committed. */
  lag: number
}

export interface GroupLag {
  groupId: string
  state: string
  totalLag: number
  partitions: PartitionLag[]
}

export type LagReader = () => Promise<GroupLag[]>

export interface KafkaLagOptions {
  /**
   * Only partitions of these logical topics count (the pipeline's own, not every group on a shared
   * broker); topics outside the connection's TOPIC_PREFIX never do. Lag is reported under logical names.
   */
  topics: (name: string) => boolean
}

export function createKafkaLagReader(
  connection: KafkaConnection,
  options: KafkaLagOptions
): LagReader & { close(): Promise<void> } {
  let admin: Admin | undefined
  const ours = (brokerName: string): boolean => {
    const logical = logicalTopic(connection, brokerName)
    return logical !== undefined && options.topics(logical)
  }
  const read = async (): Promise<GroupLag[]> => {
    admin ??= new Admin({ ...baseOptions(connection, 'api-lag'), retries: 0 })
    const groups = [...(await admin.listGroups()).values()].filter(g => g.protocolType === 'consumer')
    if (groups.length === 0) return []
    const committed = await admin.listConsumerGroupOffsets({ groups: groups.map(g => g.id) })
    const wanted = new Map<string, Set<number>>()
    for (const group of committed)
      for (const topic of group.topics.filter(t => ours(t.name)))
        for (const partition of topic.partitions) {
          const set = wanted.get(topic.name) ?? new Set<number>()
          set.add(partition.partitionIndex)
          wanted.set(topic.name, set)
        }
    if (wanted.size === 0) return []
    const listed = await admin.listOffsets({
      topics: [...wanted].map(([name, partitions]) => ({
        name,
        partitions: [...partitions].map(partitionIndex => ({
          partitionIndex,
          timestamp: ListOffsetTimestamps.LATEST
        }))
      }))
    })
    const ends = new Map<string, number>()
    for (const topic of listed)
      for (const partition of topic.partitions)
        ends.set(`${topic.name}:${partition.partitionIndex}`, Number(partition.offset))
    const states = new Map(groups.map(g => [g.id, String(g.state)]))
    return committed
      .map(group => {
        const partitions = group.topics
          .filter(t => ours(t.name))
          .flatMap(topic =>
            topic.partitions.map(p => {
              const endOffset = ends.get(`${topic.name}:${p.partitionIndex}`) ?? 0
              const committedOffset = Number(p.committedOffset)
              return {
                topic: logicalTopic(connection, topic.name) ?? topic.name,
                partition: p.partitionIndex,
                committedOffset,
                endOffset,
                lag: Math.max(0, endOffset - Math.max(0, committedOffset))
              }
            })
          )
          .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
        return {
          groupId: group.groupId,
          state: states.get(group.groupId) ?? 'unknown',
          totalLag: partitions.reduce((sum, p) => sum + p.lag, 0),
          partitions
        }
      })
      .filter(group => group.partitions.length > 0)
      .sort((a, b) => a.groupId.localeCompare(b.groupId))
  }
  return Object.assign(read, {
    async close() {
      await admin?.close().catch(() => undefined)
      admin = undefined
    }
  })
}
