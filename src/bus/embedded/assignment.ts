/**
 * Which member of a group owns which partition: every partition of a topic goes to one member
 * subscribed to that topic, the least loaded so far (ties go to the member that joined first). Pure
 * and deterministic, so a rebalance moves as few partitions as the new membership requires and the
 * tests can state the outcome exactly.
 */
import type { TopicPartition } from '../bus.ts'

export interface GroupMemberSpec {
  id: string
  topics: readonly string[]
}

export function assignPartitions(
  members: readonly GroupMemberSpec[],
  partitionsOf: (topic: string) => number
): Map<string, TopicPartition[]> {
  const plan = new Map<string, TopicPartition[]>(members.map(member => [member.id, []]))
  const topics = [...new Set(members.flatMap(member => member.topics))].sort()
  for (const topic of topics) {
    const eligible = members.filter(member => member.topics.includes(topic))
    for (let partition = 0; partition < partitionsOf(topic); partition++) {
      let chosen: TopicPartition[] | undefined
      for (const member of eligible) {
        const owned = plan.get(member.id) ?? []
        if (chosen === undefined || owned.length < chosen.length) chosen = owned
      }
      chosen?.push({ topic, partition })
    }
  }
  return plan
}
