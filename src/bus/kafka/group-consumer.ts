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
import { backoffDelay, sleep } from '../../lib/backoff.ts'
import { describeError } from '../../errors/errors.ts'
import type { ConsumedRecord, SubscribeOptions, Subscription, TopicPartition } from '../bus.ts'
import { type KafkaConnection, baseOptions } from './kafka-options.ts'

type KafkaMessage = Message<string, Buffer, string, string>
type KafkaStream = MessagesStream<string, Buffer, string, string>

function toRecord(message: KafkaMessage): ConsumedRecord {
  const headers: Record<string, string> = {}
  for (const [key, value] of message.headers) headers[key] = value
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    // The deserializer passes through an absent key as undefined despite its declared type.
    key: message.key as string | undefined,
    value: message.value,
    headers,
    timestamp: Number(message.timestamp)
  }
}

export class GroupConsumer implements Subscription {
  readonly groupId: string
  readonly #options: SubscribeOptions
  readonly #consumer: Consumer<string, Buffer, string, string>
  readonly #log: Logger
  readonly #abort = new AbortController()
  #stream: KafkaStream | undefined
  #assigned: TopicPartition[] = []
  #loop: Promise<void> | undefined

  constructor(connection: KafkaConnection, options: SubscribeOptions, log: Logger) {
    this.groupId = options.groupId
    this.#options = options
    this.#log = log.child({ group: options.groupId })
    this.#consumer = new Consumer({
      ...baseOptions(connection, `consumer-${options.groupId}`),
      groupId: options.groupId,
      autocommit: false,
      // Short enough that a crashed member's partitions move within seconds, not minutes.
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 30_000,
      maxWaitTime: 500,
      highWaterMark: Math.max(1024, (options.maxBatchRecords ?? 1000) * 2),
      deserializers: {
        key: stringDeserializer,
        headerKey: stringDeserializer,
        headerValue: stringDeserializer
      }
    })
    this.#consumer.on('consumer:group:join', payload => {
      this.#assigned = (payload.assignments ?? []).flatMap(a =>
        a.partitions.map(partition => ({ topic: a.topic, partition }))
      )
      this.#log.info(
        { partitions: this.#assigned.map(p => `${p.topic}/${p.partition}`) },
        'partitions assigned'
      )
      void Promise.resolve(this.#options.onAssigned?.(this.#assigned)).catch(error =>
        this.#log.error({ err: describeError(error) }, 'onAssigned failed')
      )
    })
  }

  assignments(): readonly TopicPartition[] {
    return this.#assigned
  }

  async start(): Promise<void> {
    this.#stream = await this.#consumer.consume({
      topics: [...this.#options.topics],
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode:
        this.#options.from === 'latest'
          ? MessagesStreamFallbackModes.LATEST
          : MessagesStreamFallbackModes.EARLIEST
    })
    this.#stream.on('error', error => this.#log.error({ err: describeError(error) }, 'consumer stream error'))
    // A 'readable' listener for the stream's whole life. #readable() adds and removes its own; when
    // the last one goes, Node resets the stream to readableFlowing === null, which the client reads
    // as "nobody is consuming" and stops fetching for good (its pending _read never pushes, so Node
    // never calls _read again): a consumer started while producers write got one batch, then nothing.
    this.#stream.on('readable', () => undefined)
    this.#loop = this.#run(this.#stream)
  }

  async #run(stream: KafkaStream): Promise<void> {
    while (!this.#abort.signal.aborted) {
      const batch = await this.#nextBatch(stream)
      if (batch.length === 0) {
        if (stream.destroyed) {
          this.#log.error('consumer stream ended unexpectedly; this member stops consuming')
          return
        }
        continue
      }
      const handled = await this.#handle(batch.map(toRecord))
      if (!handled) return
      await this.#commit(batch)
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
  async #handle(records: ConsumedRecord[]): Promise<boolean> {
    const backoff = this.#options.retryBackoffMs ?? { min: 100, max: 10_000 }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#options.handler(records)
        return true
      } catch (error) {
        this.#options.onHandlerError?.(error, attempt, records)
        const delay = Math.max(
          backoff.min,
          backoffDelay(attempt, { initialMs: backoff.min, maxMs: backoff.max })
        )
        this.#log.warn(
          { err: describeError(error), attempt, records: records.length, retryInMs: delay },
          'batch handler failed; retrying the same records'
        )
        try {
          await sleep(delay, this.#abort.signal)
        } catch {
          return false
        }
      }
    }
  }

  async #commit(batch: KafkaMessage[]): Promise<void> {
    const last = new Map<string, KafkaMessage>()
    for (const message of batch) last.set(`${message.topic}\u0000${message.partition}`, message)
    const offsets = [...last.values()].map(m => ({
      topic: m.topic,
      partition: m.partition,
      offset: m.offset + 1n,
      leaderEpoch: m.leaderEpoch
    }))
    try {
      await this.#consumer.commit({ offsets })
    } catch (error) {
      // Typically a rebalance moved the partitions: the new owner re-reads from the last committed
      // offset, and idempotent writes absorb the repeat.
      this.#log.warn({ err: describeError(error) }, 'offset commit failed; records will be redelivered')
    }
  }

  async close(): Promise<void> {
    this.#abort.abort()
    await this.#loop?.catch(() => undefined)
    await this.#stream?.close().catch(() => undefined)
    await this.#consumer
      .close(true)
      .catch(error => this.#log.warn({ err: describeError(error) }, 'close failed'))
  }
}
