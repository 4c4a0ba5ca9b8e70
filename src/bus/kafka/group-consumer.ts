/**
 * One member of a consumer group, reading batches and committing after the handler succeeded.
 *
 * Records are drained synchronously from the client's stream buffer (no promise per record), so a
 * batch costs one await however large it is. A failing handler is retried on the same batch with
 * backoff; while it fails, nothing further is read, so the client's buffer fills and fetching stops:
 * the group pauses instead of skipping. Offsets are committed per partition as "last offset + 1".
 */
import {
  Consumer,
  type Message,
  type MessagesStream,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  stringDeserializer
} from '@platformatic/kafka'
import type { Logger } from 'pino'
import { describeError } from '../../errors/errors.ts'
import type { ConsumedRecord, SubscribeOptions, Subscription, TopicPartition } from '../bus.ts'
import { handleWithRetry } from '../handler-retry.ts'
import { backoffDelay, sleep } from '../../lib/backoff.ts'
import { type KafkaConnection, baseOptions, brokerTopic } from './kafka-options.ts'

type KafkaMessage = Message<string, Buffer, string, string>
type KafkaStream = MessagesStream<string, Buffer, string, string>

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`
}

function toRecord(message: KafkaMessage, topic: string): ConsumedRecord {
  const headers: Record<string, string> = {}
  for (const [key, value] of message.headers) headers[key] = value
  return {
    topic,
    partition: message.partition,
    offset: message.offset,
    // The deserializer passes through an absent key as undefined despite its declared type.
    key: message.key as string | undefined,
    value: message.value,
    headers,
    timestamp: Number(message.timestamp)
  }
}

/**
 * Bytes one fetch may return (compressed). 256 KiB is ~18k of the benchmarks' trades and a few
 * thousand real ones: enough to keep a batch ready, little enough to keep the read-ahead flat.
 */
const MAX_FETCH_BYTES = 262_144

/** How long a new member keeps trying to join before subscribe() gives up (a rejoin never gives up). */
const START_TIMEOUT_MS = 60_000

export class GroupConsumer implements Subscription {
  readonly groupId: string
  readonly #connection: KafkaConnection
  readonly #options: SubscribeOptions
  readonly #log: Logger
  readonly #abort = new AbortController()
  /** The current client: replaced when the stream dies (a broker outage outlasting its retries). */
  #consumer: Consumer<string, Buffer, string, string> | undefined
  #stream: KafkaStream | undefined
  #assigned: TopicPartition[] = []
  /** `topic\0partition` of #assigned under the broker's (prefixed) names, for the per-record ownership check. */
  #owned = new Set<string>()
  /** Broker topic name → logical name (TOPIC_PREFIX removed), for the topics this member reads. */
  readonly #logical: ReadonlyMap<string, string>
  #loop: Promise<void> | undefined
  #committing: Promise<void> = Promise.resolve()

  constructor(connection: KafkaConnection, options: SubscribeOptions, log: Logger) {
    this.groupId = options.groupId
    this.#connection = connection
    this.#options = options
    this.#log = log.child({ group: options.groupId })
    this.#logical = new Map(options.topics.map(topic => [brokerTopic(connection, topic), topic]))
  }

  #createConsumer(): Consumer<string, Buffer, string, string> {
    const consumer = new Consumer<string, Buffer, string, string>({
      ...baseOptions(this.#connection, `consumer-${this.#options.groupId}`),
      groupId: this.#options.groupId,
      autocommit: false,
      // Short enough that a crashed member's partitions move within seconds, not minutes.
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 30_000,
      maxWaitTime: 500,
      // The client pushes a whole fetch response into its buffer, past highWaterMark, so a fetch's
      // size is how far it reads ahead. Its default, 50 MB of zstd batches, is millions of trades
      // (≈ 14 B each compressed, ≈ 0.9 KB decoded): analytics started on a backlog of 1M trades
      // held nearly all of it (1.5 GiB resident; bench/README.md, bench:analytics).
      maxBytes: MAX_FETCH_BYTES,
      maxBytesPerPartition: MAX_FETCH_BYTES,
      highWaterMark: Math.max(1024, (this.#options.maxBatchRecords ?? 1000) * 2),
      deserializers: {
        key: stringDeserializer,
        headerKey: stringDeserializer,
        headerValue: stringDeserializer
      }
    })
    consumer.on('consumer:group:join', payload => {
      const assigned = (payload.assignments ?? []).flatMap(a =>
        a.partitions.map(partition => ({ topic: a.topic, partition }))
      )
      this.#owned = new Set(assigned.map(p => partitionKey(p.topic, p.partition)))
      this.#assigned = assigned.map(p => ({ topic: this.#logicalName(p.topic), partition: p.partition }))
      this.#log.info(
        { partitions: this.#assigned.map(p => `${p.topic}/${p.partition}`) },
        'partitions assigned'
      )
      void Promise.resolve(this.#options.onAssigned?.(this.#assigned)).catch(error =>
        this.#log.error({ err: describeError(error) }, 'onAssigned failed')
      )
    })
    return consumer
  }

  assignments(): readonly TopicPartition[] {
    return this.#assigned
  }

  async start(): Promise<void> {
    const stream = await this.#join(Date.now() + START_TIMEOUT_MS)
    this.#loop = this.#supervise(stream)
  }

  /**
   * Joins the group and opens the stream, retrying with backoff: a join can fail while the group
   * coordinator loads or several members join at once, and a rejoin while the broker is away.
   * Gives up only at `deadline` or when the subscription is closed.
   */
  async #join(deadline: number): Promise<KafkaStream> {
    for (let attempt = 1; ; attempt++) {
      const consumer = this.#createConsumer()
      try {
        const stream = await consumer.consume({
          topics: [...this.#logical.keys()],
          mode: MessagesStreamModes.COMMITTED,
          fallbackMode:
            this.#options.from === 'latest'
              ? MessagesStreamFallbackModes.LATEST
              : MessagesStreamFallbackModes.EARLIEST
        })
        stream.on('error', error => this.#log.error({ err: describeError(error) }, 'consumer stream error'))
        // A 'readable' listener for the stream's whole life. #readable() adds and removes its own; when
        // the last one goes, Node resets the stream to readableFlowing === null, which the client reads
        // as "nobody is consuming" and stops fetching for good (its pending _read never pushes, so Node
        // never calls _read again): a consumer started while producers write got one batch, then nothing.
        stream.on('readable', () => undefined)
        this.#consumer = consumer
        this.#stream = stream
        return stream
      } catch (error) {
        await consumer.close(true).catch(() => undefined)
        if (this.#abort.signal.aborted || Date.now() > deadline) throw error
        const delay = backoffDelay(attempt, { initialMs: 250, maxMs: 5_000 })
        this.#log.warn(
          { err: describeError(error), attempt, retryInMs: delay },
          'joining the group failed; retrying'
        )
        await sleep(delay, this.#abort.signal)
      }
    }
  }

  /**
   * Consumes until closed. When the client's stream dies (the broker stayed away longer than the
   * client retries), the member leaves and joins again with a new client instead of silently
   * stopping: nothing was committed past what the handler finished, so the new assignment resumes
   * from the committed offsets.
   */
  async #supervise(first: KafkaStream): Promise<void> {
    let stream = first
    for (;;) {
      await this.#run(stream)
      if (this.#abort.signal.aborted) return
      this.#log.warn('consumer stream ended (broker unreachable?); rejoining the group with a new client')
      await this.#committing
      this.#assigned = []
      this.#owned = new Set()
      await this.#consumer?.close(true).catch(() => undefined)
      try {
        stream = await this.#join(Infinity)
      } catch {
        return // closed while rejoining
      }
    }
  }

  async #run(stream: KafkaStream): Promise<void> {
    while (!this.#abort.signal.aborted) {
      const batch = await this.#nextBatch(stream)
      if (batch.length === 0) {
        if (stream.destroyed) return
        continue
      }
      // A fetch sent before a rebalance can deliver records of partitions that moved to another
      // member meanwhile: they are that member's now (it reads them from the committed offset), so
      // handling them here would process them twice, concurrently, and commit over its progress.
      const owned = batch.filter(m => this.#owns(m))
      if (owned.length < batch.length)
        this.#log.debug({ dropped: batch.length - owned.length }, 'records of revoked partitions dropped')
      if (owned.length === 0) continue
      const handled = await this.#handle(owned.map(m => toRecord(m, this.#logicalName(m.topic))))
      if (!handled) return
      // The commit of this batch overlaps with collecting and handling the next one; at most one
      // commit is in flight, so they reach the broker in order.
      await this.#committing
      this.#committing = this.#commit(owned)
    }
  }

  /** Waits for the first record, then collects until the batch is full or its wait time is up. */
  async #nextBatch(stream: KafkaStream): Promise<KafkaMessage[]> {
    const max = this.#options.maxBatchRecords ?? 1000
    const waitMs = this.#options.maxBatchWaitMs ?? 50
    const batch: KafkaMessage[] = []
    let deadline = Infinity
    for (;;) {
      let message: KafkaMessage | null
      while (batch.length < max && (message = stream.read() as KafkaMessage | null) !== null) {
        if (batch.length === 0) deadline = Date.now() + waitMs
        batch.push(message)
      }
      const now = Date.now()
      if (batch.length >= max || now >= deadline || this.#abort.signal.aborted || stream.destroyed)
        return batch
      await this.#readable(stream, deadline - now)
    }
  }

  #readable(stream: KafkaStream, timeoutMs: number): Promise<void> {
    return new Promise(resolve => {
      const done = (): void => {
        clearTimeout(timer)
        stream.off('readable', done)
        stream.off('close', done)
        this.#abort.signal.removeEventListener('abort', done)
        resolve()
      }
      const timer = Number.isFinite(timeoutMs) ? setTimeout(done, timeoutMs) : undefined
      stream.once('readable', done)
      stream.once('close', done)
      this.#abort.signal.addEventListener('abort', done, { once: true })
    })
  }

  /** Runs the handler until it succeeds; false if the consumer closed first (no commit then). */
  #handle(records: ConsumedRecord[]): Promise<boolean> {
    return handleWithRetry(this.#options, records, this.#abort.signal, this.#log)
  }

  async #commit(batch: KafkaMessage[]): Promise<void> {
    // The client that fetched the batch: a rejoin may replace #consumer while this commit runs.
    const consumer = this.#consumer
    const last = new Map<string, KafkaMessage>()
    for (const message of batch) last.set(partitionKey(message.topic, message.partition), message)
    // Partitions taken away while the handler ran are the new owner's to commit now.
    const offsets = [...last.values()]
      .filter(m => this.#owns(m))
      .map(m => ({
        topic: m.topic,
        partition: m.partition,
        offset: m.offset + 1n,
        leaderEpoch: m.leaderEpoch
      }))
    if (offsets.length === 0) return
    try {
      await consumer?.commit({ offsets })
    } catch (error) {
      // Typically a rebalance moved the partitions: the new owner re-reads from the last committed
      // offset, and idempotent writes absorb the repeat.
      this.#log.warn({ err: describeError(error) }, 'offset commit failed; records will be redelivered')
    }
  }

  /** Every topic this member reads was subscribed under its logical name, so the map knows it. */
  #logicalName(brokerName: string): string {
    return this.#logical.get(brokerName) ?? brokerName
  }

  #owns(message: KafkaMessage): boolean {
    return this.#owned.has(partitionKey(message.topic, message.partition))
  }

  async close(): Promise<void> {
    this.#abort.abort()
    await this.#loop?.catch(() => undefined)
    await this.#committing
    await this.#stream?.close().catch(() => undefined)
    await this.#consumer
      ?.close(true)
      .catch(error => this.#log.warn({ err: describeError(error) }, 'close failed'))
  }
}
