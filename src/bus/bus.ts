/**
 * The bus port: what the pipeline needs from a log of keyed records. Two implementations exist:
 * Kafka (bus/kafka) and the embedded log for single-process mode. Both honour the same contract,
 * proven by one shared test suite:
 *
 * - a record's partition is a pure function of its key (Java-compatible murmur2, partitioner.ts),
 *   so per-key order holds and per-key state stays in one consumer;
 * - consumers join a group and share partitions; `onAssigned` tells each member what it now owns;
 * - a batch's offsets are committed only after its handler resolves; a handler that throws is
 *   retried with backoff on the same records (consumption of those partitions pauses meanwhile),
 *   and a crash before the commit means redelivery after restart: at-least-once, never loss;
 * - publishing to a topic that was not declared (src/schemas/topics.ts) fails: nothing creates topics
 *   on the fly.
 *
 * The suite is test/bus/contract.ts; docs/bus.md describes both implementations.
 */

export interface BusRecord {
  topic: string
  /** Partitioning key (symbol, article id). Records with the same key keep their order. */
  key: string
  /** Usually a JSON document from schemas/. */
  value: string | Buffer
  headers?: Record<string, string>
}

export interface ConsumedRecord {
  topic: string
  partition: number
  offset: bigint
  key: string | undefined
  value: Buffer
  headers: Record<string, string>
  /** Broker (or log) append time, epoch milliseconds. */
  timestamp: number
}

export interface TopicPartition {
  topic: string
  partition: number
}

export type BatchHandler = (batch: readonly ConsumedRecord[]) => Promise<void>

export interface SubscribeOptions {
  groupId: string
  topics: readonly string[]
  handler: BatchHandler
  /** Where a group without committed offsets starts. Default: earliest (lose nothing). */
  from?: 'earliest' | 'latest'
  /** A batch is handed over when it has this many records… (default 1000) */
  maxBatchRecords?: number
  /** …or when its first record has waited this long (default 50 ms). */
  maxBatchWaitMs?: number
  /** Called after each (re)assignment with the partitions this member now owns. */
  onAssigned?: (partitions: readonly TopicPartition[]) => Promise<void> | void
  /** Called when a handler failed and will be retried; for logs and metrics. */
  onHandlerError?: (error: unknown, attempt: number, batch: readonly ConsumedRecord[]) => void
  /** Backoff between handler retries: doubles from min to max. Default 100 ms … 10 s. */
  retryBackoffMs?: { min: number; max: number }
}

export interface Subscription {
  readonly groupId: string
  /** Partitions currently owned by this member. */
  assignments(): readonly TopicPartition[]
  /** Stops fetching, lets an in-flight batch finish (and commit), leaves the group. */
  close(): Promise<void>
}

/** Offsets of one partition: the first record still retained and the offset the next record gets. */
export interface PartitionOffsets extends TopicPartition {
  start: bigint
  end: bigint
}

/** Where a group stands on one partition. */
export interface GroupPartitionOffsets extends PartitionOffsets {
  /** The next offset the group will read, as committed; undefined if it never committed here. */
  committed: bigint | undefined
  /** Records not yet committed: end − committed, or end − start when nothing is committed. */
  lag: bigint
}

/** A consumer group and where it stands on the partitions it has committed on. */
export interface ConsumerGroupOffsets {
  groupId: string
  /** As the bus names it: Kafka's group state (Stable, Empty, …); the embedded bus's Stable or Empty. */
  state: string
  /** Only partitions with a commit, in topic then partition order. */
  partitions: GroupPartitionOffsets[]
}

/**
 * Read-only introspection: the one way consumer lag is read (the API's pipeline status, the lag
 * metrics, the console's status line, the `doctor` command). Topics are logical names: on Kafka they
 * are asked under TOPIC_PREFIX, so another deployment's topics and groups never show.
 */
export interface BusInspector {
  /** Start and end offsets of every partition of the given topics, in topic then partition order. */
  partitionOffsets(topics: readonly string[]): Promise<PartitionOffsets[]>
  /** The group's committed offsets and lag on every partition of the given topics. */
  groupOffsets(groupId: string, topics: readonly string[]): Promise<GroupPartitionOffsets[]>
  /** Every consumer group that has committed on a partition of the given topics, by group id. */
  consumerGroups(topics: readonly string[]): Promise<ConsumerGroupOffsets[]>
}

export interface Bus {
  /** Durable when it resolves (acknowledged by all in-sync replicas, or written to the local log). */
  publish(records: readonly BusRecord[]): Promise<void>
  subscribe(options: SubscribeOptions): Promise<Subscription>
  close(): Promise<void>
  /** Both buses provide it; optional only so that a test double of the port need not. */
  readonly inspector?: BusInspector
}
