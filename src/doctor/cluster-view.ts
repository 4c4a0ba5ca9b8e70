/**
 * Brokers and partitions as the doctor needs them, readable while the cluster is unwell: the
 * client's metadata and listing calls fail as a whole when one partition has no leader
 * (LEADER_NOT_AVAILABLE), but the broker's answer carries every topic and partition, so it is read
 * from the error's response instead.
 */
import type { Admin } from '@platformatic/kafka'

export interface PartitionView {
  /** -1 while the partition has no leader (offline). */
  leader: number
  replicas: number[]
  isr: number[]
}

export interface ClusterView {
  /** Broker ids registered in the cluster (a fenced or dead broker is not). */
  brokers: Set<number>
  /** The asked-for topics that exist, with their partitions in partition order. */
  topics: Map<string, PartitionView[]>
}

/** The fields of Kafka's Metadata response (v12) read here. */
interface RawMetadata {
  brokers: { nodeId: number }[]
  topics: {
    errorCode: number
    name: string | null
    partitions: {
      partitionIndex: number
      leaderId: number
      replicaNodes: number[]
      isrNodes: number[]
    }[]
  }[]
}

const UNKNOWN_TOPIC_OR_PARTITION = 3

function isRawMetadata(value: unknown): value is RawMetadata {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { brokers?: unknown }).brokers) &&
    Array.isArray((value as { topics?: unknown }).topics)
  )
}

/** The Metadata response inside the client's error (possibly nested in its list of attempts). */
function responseIn(error: unknown, depth = 0): RawMetadata | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined
  const { response, errors, cause } = error as { response?: unknown; errors?: unknown; cause?: unknown }
  if (isRawMetadata(response)) return response
  for (const inner of [...(Array.isArray(errors) ? errors : []), cause]) {
    const found = responseIn(inner, depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

/** Every topic name on the broker; the client's listing fails like its metadata call does. */
async function existingTopics(admin: Admin): Promise<Set<string>> {
  try {
    return new Set(await admin.listTopics())
  } catch (error) {
    const response = responseIn(error)
    if (response === undefined) throw error
    return new Set(response.topics.flatMap(topic => (topic.name === null ? [] : [topic.name])))
  }
}

/** The named topics that exist (a missing one is left out) and the registered brokers. */
export async function clusterView(admin: Admin, names: readonly string[]): Promise<ClusterView> {
  const existing = await existingTopics(admin)
  const present = names.filter(name => existing.has(name))
  try {
    const metadata = await admin.metadata({ topics: present, forceUpdate: true })
    return {
      brokers: new Set(metadata.brokers.keys()),
      topics: new Map(
        [...metadata.topics].map(([name, topic]) => [
          name,
          topic.partitions.map(p => ({ leader: p.leader, replicas: p.replicas, isr: p.isr }))
        ])
      )
    }
  } catch (error) {
    const response = responseIn(error)
    if (response === undefined) throw error
    return {
      brokers: new Set(response.brokers.map(b => b.nodeId)),
      topics: new Map(
        response.topics.flatMap(topic =>
          topic.name === null || topic.errorCode === UNKNOWN_TOPIC_OR_PARTITION
            ? []
            : [
                [
                  topic.name,
                  [...topic.partitions]
                    .sort((a, b) => a.partitionIndex - b.partitionIndex)
                    .map(p => ({ leader: p.leaderId, replicas: p.replicaNodes, isr: p.isrNodes }))
                ] as const
              ]
        )
      )
    }
  }
}
