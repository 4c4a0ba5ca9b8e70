/** Lag arithmetic shared by both buses' inspectors, so that they report it alike. */
import type { ConsumerGroupOffsets, GroupPartitionOffsets, PartitionOffsets } from './bus.ts'

export function groupPartitionOffsets(
  offsets: PartitionOffsets,
  committed: bigint | undefined
): GroupPartitionOffsets {
  // A commit below the log start (records deleted by retention) counts from the start: those
  // records cannot be read any more, so they are not lag.
  const from = committed === undefined || committed < offsets.start ? offsets.start : committed
  const lag = offsets.end > from ? offsets.end - from : 0n
  return { ...offsets, committed, lag }
}

export interface GroupCommits {
  groupId: string
  state: string
  /** The group's committed next offset on a partition, if it ever committed there. */
  committed(topic: string, partition: number): bigint | undefined
}

/**
 * `BusInspector.consumerGroups` from what each bus knows: the groups with at least one commit among
 * the given partitions, each with only the partitions it committed on (a topic a group does not read
 * is not its lag), sorted by group id, then topic and partition.
 */
export function consumerGroupOffsets(
  groups: readonly GroupCommits[],
  partitions: readonly PartitionOffsets[]
): ConsumerGroupOffsets[] {
  const ordered = [...partitions].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
  return groups
    .map(group => ({
      groupId: group.groupId,
      state: group.state,
      partitions: ordered.flatMap(p => {
        const committed = group.committed(p.topic, p.partition)
        return committed === undefined ? [] : [groupPartitionOffsets(p, committed)]
      })
    }))
    .filter(group => group.partitions.length > 0)
    .sort((a, b) => a.groupId.localeCompare(b.groupId))
}
