/**
 * Which member of a group owns which partition. Per topic, the members subscribed to it share its
 * partitions evenly (counts differ by at most one), and a partition stays with its current owner
 * whenever balance allows: a rebalance moves only the partitions it must, so fewer batches are
 * interrupted and fewer records handed over. Pure and deterministic (ties go to the member that
 * joined first), so tests can state the outcome exactly.
 */
import type { TopicPartition } from '../bus.ts'

export interface GroupMemberSpec {
  id: string
  topics: readonly string[]
}

export function assignPartitions(
  members: readonly GroupMemberSpec[],
  partitionsOf: (topic: string) => number,
  current: ReadonlyMap<string, readonly TopicPartition[]> = new Map()
): Map<string, TopicPartition[]> {
  const plan = new Map<string, TopicPartition[]>(members.map(member => [member.id, []]))
  const topics = [...new Set(members.flatMap(member => member.topics))].sort()
  for (const topic of topics) {
    const eligible = members.filter(member => member.topics.includes(topic))
    const partitions = partitionsOf(topic)
    const floor = Math.floor(partitions / eligible.length)
    const previous = new Map<number, string>()
    for (const member of eligible) {
      for (const tp of current.get(member.id) ?? [])
        if (tp.topic === topic) previous.set(tp.partition, member.id)
    }
    const count = new Map(eligible.map(member => [member.id, 0]))
    const give = (partition: number, memberId: string): void => {
      plan.get(memberId)?.push({ topic, partition })
      count.set(memberId, (count.get(memberId) ?? 0) + 1)
    }
    let extras = partitions % eligible.length
    const left: number[] = []
    // Owners keep up to their fair share first…
    for (let partition = 0; partition < partitions; partition++) {
      const owner = previous.get(partition)
      if (owner !== undefined && (count.get(owner) ?? 0) < floor) give(partition, owner)
      else left.push(partition)
    }
    // …then one more where the division leaves extras…
    const unowned: number[] = []
    for (const partition of left) {
      const owner = previous.get(partition)
      if (owner !== undefined && extras > 0 && count.get(owner) === floor) {
        give(partition, owner)
        extras--
      } else unowned.push(partition)
    }
    // …and the rest goes to the least loaded, which can never push anyone past floor + 1.
    for (const partition of unowned) {
      let chosen: string | undefined
      for (const member of eligible) {
        if (chosen === undefined || (count.get(member.id) ?? 0) < (count.get(chosen) ?? 0)) chosen = member.id
      }
      if (chosen !== undefined) give(partition, chosen)
    }
  }
  for (const owned of plan.values())
    owned.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
  return plan
}
