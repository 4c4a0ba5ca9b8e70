/**
 * What the doctor asks of the bus, for either kind: is it there, what topics and partitions does it
 * hold, where do the groups stand, and how old is the newest record of a topic. Kafka answers
 * through the admin API (kafka-probe.ts); the embedded bus through a read-only look at its folder
 * (embedded-probe.ts), because the running process holds the folder's lock.
 */
import type { GroupPartitionOffsets } from '../bus/bus.ts'

export interface TopicState {
  partitions: number
  /** Replicas of partition 0 (embedded: 1). */
  replicationFactor: number
  /** Partitions without a leader (Kafka only): offline, nothing can be read or written there. */
  leaderless: number[]
  /** Partitions with fewer in-sync replicas than replicas (Kafka only). */
  underReplicated: { partition: number; inSync: number; replicas: number }[]
  /** The topic's min.insync.replicas on the broker (Kafka only; undefined when unknown). */
  minInsyncReplicas?: number | undefined
}

/** Brokers the cluster has, and brokers the topics name as replicas that it does not (Kafka only). */
export interface BrokerState {
  live: number[]
  missing: number[]
  /**
   * Bootstrap servers of the configuration where nothing accepts a connection (Kafka only): a broker
   * that is down shows here even when it holds no replica of the pipeline's topics.
   */
  silentServers: string[]
}

export interface GroupState {
  /** Kafka's group state (Stable, Empty, …) or, embedded, whether a process has the bus open. */
  state: string
  members: number | undefined
}

export interface BusProbe {
  readonly kind: 'kafka' | 'embedded'
  /** Where the bus is, for messages: bootstrap servers, or the folder. */
  readonly where: string
  /**
   * The name the bus holds a topic by, for messages: Kafka puts TOPIC_PREFIX in front. Every other
   * method takes and returns the logical names of src/schemas/topics.ts.
   */
  topicName(logical: string): string
  /** Resolves with a description of what answered; throws when the bus cannot be reached. */
  reach(): Promise<string>
  /** Which brokers are registered, and which replicas of these topics live on brokers that are not. */
  brokers(topics: readonly string[]): Promise<BrokerState>
  /** Each named topic's state, or undefined where it does not exist. */
  topics(names: readonly string[]): Promise<Map<string, TopicState | undefined>>
  groupOffsets(groupId: string, topics: readonly string[]): Promise<GroupPartitionOffsets[]>
  group(groupId: string): Promise<GroupState>
  /** Append time (epoch ms) of the newest record of each topic; undefined when it holds none. */
  newestRecords(topics: readonly string[]): Promise<Map<string, number | undefined>>
  close(): Promise<void>
}
