/**
 * Consumer lag for the pipeline status, read through the bus port's inspector whichever the bus
 * (Kafka or embedded): every consumer group that has committed on the pipeline's topics, per
 * partition. Kept behind the small `LagReader` function type so the status can be tested with a
 * reader that fails.
 */
import type { BusInspector } from '../../bus/bus.ts'

export interface PartitionLag {
  topic: string
  partition: number
  committedOffset: number
  endOffset: number
  /** End offset minus committed offset (from the log start when the commit is older than it). */
  lag: number
}

export interface GroupLag {
  groupId: string
  state: string
  totalLag: number
  partitions: PartitionLag[]
}

export type LagReader = () => Promise<GroupLag[]>

export interface LagReaderOptions {
  /**
   * Only partitions of these logical topics count (the pipeline's own, not every group on a shared
   * broker); the inspector never sees topics outside its TOPIC_PREFIX.
   */
  topics: readonly string[]
}

export function createLagReader(inspector: BusInspector, options: LagReaderOptions): LagReader {
  return async () =>
    (await inspector.consumerGroups(options.topics)).map(group => {
      const partitions = group.partitions.map(p => ({
        topic: p.topic,
        partition: p.partition,
        committedOffset: Number(p.committed),
        endOffset: Number(p.end),
        lag: Number(p.lag)
      }))
      return {
        groupId: group.groupId,
        state: group.state,
        totalLag: partitions.reduce((sum, p) => sum + p.lag, 0),
        partitions
      }
    })
}
