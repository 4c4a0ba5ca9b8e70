/**
 * Consumer lag read through the bus port's inspector, for the embedded bus (no Kafka admin API to
 * ask): the stages' consumer groups against the declared topics. Only partitions a group has
 * committed on count, so topics a group does not read never show as lag.
 */
import type { BusInspector } from '../../bus/bus.ts'
import type { GroupLag, LagReader } from './kafka-lag.ts'

export function createBusLagReader(
  inspector: BusInspector,
  options: { groups: readonly string[]; topics: readonly string[] }
): LagReader & { close(): Promise<void> } {
  const read = async (): Promise<GroupLag[]> => {
    const groups: GroupLag[] = []
    for (const groupId of options.groups) {
      const partitions = (await inspector.groupOffsets(groupId, options.topics))
        .filter(p => p.committed !== undefined)
        .map(p => ({
          topic: p.topic,
          partition: p.partition,
          committedOffset: Number(p.committed),
          endOffset: Number(p.end),
          lag: Number(p.lag)
        }))
      if (partitions.length === 0) continue
      groups.push({
        groupId,
        state: 'embedded',
        totalLag: partitions.reduce((sum, p) => sum + p.lag, 0),
        partitions
      })
    }
    return groups.sort((a, b) => a.groupId.localeCompare(b.groupId))
  }
  return Object.assign(read, { close: async () => undefined })
}
