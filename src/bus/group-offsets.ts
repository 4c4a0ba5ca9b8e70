/** Lag arithmetic shared by both buses' inspectors, so that they report it alike. */
import type { GroupPartitionOffsets, PartitionOffsets } from './bus.ts'

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
