/**
 * One subscription of the embedded bus: a member of a consumer group that reads batches from the
 * partitions it owns, hands them to the handler, and commits after the handler resolved. Failures
 * are retried on the same records (handler-retry.ts, shared with the Kafka adapter); nothing further
 * is read meanwhile, so the owned partitions pause instead of skipping.
 */
import type { Logger } from 'pino'
import { describeError } from '../../errors/errors.ts'
import { backoffDelay, sleep } from '../../lib/backoff.ts'
import type { ConsumedRecord, SubscribeOptions, Subscription, TopicPartition } from '../bus.ts'
import { handleWithRetry } from '../handler-retry.ts'
import {
  type CommitPart,
  type ConsumerGroup,
  type Member,
  type Ownership,
  partitionKey
} from './consumer-group.ts'
import type { LogReader } from './log-reader.ts'
import { Wakeup } from './wakeup.ts'

interface Batch {
  records: ConsumedRecord[]
  parts: Map<Ownership, ConsumedRecord[]>
}

interface InFlight {
  keys: Set<string>
  stop: AbortController
  settled: Promise<void>
}

let memberCount = 0

export class GroupMember implements Subscription, Member {
  readonly id: string
  readonly groupId: string
  readonly topics: readonly string[]
  readonly from: 'earliest' | 'latest'
  readonly #options: SubscribeOptions
  readonly #group: ConsumerGroup
  readonly #log: Logger
  readonly #owned = new Map<string, Ownership>()
  readonly #unlisten = new Map<string, () => void>()
  /** Readers of revoked partitions, closed by the loop once it is surely not reading them. */
  readonly #retired: LogReader[] = []
  readonly #wakeup = new Wakeup()
  readonly #closing = new AbortController()
  #assigned: readonly TopicPartition[] = []
  #inFlight: InFlight | undefined
  /** Settles once the latest `onAssigned` has returned; reading waits for it. */
  #ready: Promise<void> = Promise.resolve()
  #turn = 0
  #loop: Promise<void> | undefined
  #closed: Promise<void> | undefined

  constructor(group: ConsumerGroup, options: SubscribeOptions, log: Logger) {
    this.id = `member-${++memberCount}`
    this.groupId = options.groupId
    this.topics = [...options.topics]
    this.from = options.from ?? 'earliest'
    this.#options = options
    this.#group = group
    this.#log = log.child({ group: options.groupId, member: this.id })
  }

  async start(): Promise<void> {
    await this.#group.join(this)
    this.#loop = this.#run()
  }

  get leaving(): boolean {
    return this.#closing.signal.aborted
  }

  assignments(): readonly TopicPartition[] {
    return this.#assigned
  }

  owned(): readonly Ownership[] {
    return [...this.#owned.values()]
  }

  async revoke(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const ownership = this.#owned.get(key)
      if (ownership === undefined) continue
      this.#owned.delete(key)
      this.#unlisten.get(key)?.()
      this.#unlisten.delete(key)
      this.#retired.push(ownership.reader)
    }
    this.#assigned = this.#assigned.filter(tp => this.#owned.has(partitionKey(tp.topic, tp.partition)))
    this.#wakeup.notify()
    const inFlight = this.#inFlight
    if (inFlight !== undefined && keys.some(key => inFlight.keys.has(key))) {
      // A batch being retried is abandoned (not committed: the new owner reads it again); one whose
      // handler is running finishes, and commits if it succeeds.
      inFlight.stop.abort()
      await inFlight.settled
    }
  }

  /**
   * Takes new partitions. `onAssigned` runs before anything more is read, but the group does not
   * wait for it: a slow or re-entrant callback (one that closes this subscription) must not hold
   * up the other members.
   */
  assign(added: readonly Ownership[], all: readonly TopicPartition[]): void {
    for (const ownership of added) {
      this.#owned.set(ownership.key, ownership)
      this.#unlisten.set(
        ownership.key,
        ownership.log.onAppend(() => this.#wakeup.notify())
      )
    }
    this.#assigned = [...all]
    this.#log.info({ partitions: all.map(p => `${p.topic}/${p.partition}`) }, 'partitions assigned')
    const assigned = this.#assigned
    this.#ready = this.#ready
      .then(() => this.#options.onAssigned?.(assigned))
      .catch(error => this.#log.error({ err: describeError(error) }, 'onAssigned failed'))
      .then(() => this.#wakeup.notify())
  }

  close(): Promise<void> {
    this.#closed ??= this.#close()
    return this.#closed
  }

  async #close(): Promise<void> {
    this.#closing.abort()
    this.#wakeup.notify()
    await this.#loop
    await this.#group.leave(this)
    for (const unlisten of this.#unlisten.values()) unlisten()
    this.#unlisten.clear()
    const readers = [...this.#retired.splice(0), ...[...this.#owned.values()].map(o => o.reader)]
    this.#owned.clear()
    this.#assigned = []
    await Promise.all(readers.map(reader => reader.close()))
  }

  async #run(): Promise<void> {
    let failures = 0
    while (!this.#closing.signal.aborted) {
      let batch: Batch | undefined
      try {
        batch = await this.#nextBatch()
        failures = 0
      } catch (error) {
        failures++
        const delay = backoffDelay(failures, { initialMs: 100, maxMs: 10_000 })
        this.#log.error({ err: describeError(error), retryInMs: delay }, 'reading the embedded log failed')
        await sleep(delay, this.#closing.signal).catch(() => undefined)
        continue
      }
      if (batch !== undefined && batch.records.length > 0) await this.#process(batch)
    }
  }

  async #process(batch: Batch): Promise<void> {
    const stop = new AbortController()
    let settle = (): void => undefined
    const settled = new Promise<void>(resolve => (settle = resolve))
    this.#inFlight = { keys: new Set([...batch.parts.keys()].map(o => o.key)), stop, settled }
    try {
      const signal = AbortSignal.any([this.#closing.signal, stop.signal])
      if (await handleWithRetry(this.#options, batch.records, signal, this.#log)) {
        const parts: CommitPart[] = []
        for (const [ownership, records] of batch.parts) {
          const last = records.at(-1)
          if (last !== undefined) parts.push({ ownership, lastOffset: last.offset })
        }
        await this.#group.commit(parts).catch(error => {
          this.#log.warn({ err: describeError(error) }, 'offset commit failed; records will be redelivered')
        })
      } else {
        // Abandoned: read the same records again where this member still owns the partition.
        for (const [ownership, records] of batch.parts) {
          const first = records[0]
          if (first !== undefined && this.#owned.get(ownership.key) === ownership)
            ownership.reader.seek(first.offset)
        }
      }
    } finally {
      this.#inFlight = undefined
      settle()
    }
  }

  /** Waits for the first record, then collects until the batch is full or its wait time is up. */
  async #nextBatch(): Promise<Batch | undefined> {
    const max = this.#options.maxBatchRecords ?? 1000
    const waitMs = this.#options.maxBatchWaitMs ?? 50
    const parts = new Map<Ownership, ConsumedRecord[]>()
    let count = 0
    let deadline = Infinity
    for (;;) {
      if (this.#closing.signal.aborted) return undefined
      await this.#ready
      await this.#closeRetired()
      this.#wakeup.reset()
      const owned = [...this.#owned.values()]
      const turn = this.#turn++ % Math.max(1, owned.length)
      for (const ownership of [...owned.slice(turn), ...owned.slice(0, turn)]) {
        if (count >= max) break
        if (!ownership.reader.hasMore) continue
        const records = await ownership.reader.read(max - count)
        if (records.length === 0) continue
        const part = parts.get(ownership)
        if (part === undefined) parts.set(ownership, records)
        else part.push(...records)
        count += records.length
        if (deadline === Infinity) deadline = Date.now() + waitMs
      }
      const now = Date.now()
      if (count >= max || now >= deadline) break
      await this.#wakeup.wait(deadline - now)
    }
    // A rebalance may have taken a partition while its records were being read: drop them, the
    // new owner reads them from the committed offset.
    const records: ConsumedRecord[] = []
    for (const [ownership, part] of parts) {
      if (this.#owned.get(ownership.key) === ownership) records.push(...part)
      else parts.delete(ownership)
    }
    return { records, parts }
  }

  async #closeRetired(): Promise<void> {
    if (this.#retired.length === 0) return
    await Promise.all(this.#retired.splice(0).map(reader => reader.close()))
  }
}
