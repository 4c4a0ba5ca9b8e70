/**
 * The coordinator of one consumer group inside the process: who is a member, which member owns which
 * partition, and whose commits count.
 *
 * A rebalance (a member joins or leaves) first takes partitions away from the members losing them
 * and waits until each has finished, committed or abandoned its in-flight batch on them; only then
 * does the new owner start, from the committed offset. So a partition is handled by one member at a
 * time and a handover neither skips nor (normally) repeats records. A member that does not let go
 * within the rebalance timeout (a handler hanging) is passed over: ownership is a token, and a
 * commit whose token is no longer current is ignored, so its late work only causes a redelivery.
 */
import type { Logger } from 'pino'
import type { TopicPartition } from '../bus.ts'
import { type GroupMemberSpec, assignPartitions } from './assignment.ts'
import { LogReader } from './log-reader.ts'
import type { OffsetStore } from './offset-store.ts'
import type { PartitionLog } from './partition-log.ts'

/** A member's right to one partition, and its cursor there. Identity is the fencing token. */
export interface Ownership extends TopicPartition {
  readonly key: string
  readonly log: PartitionLog
  readonly reader: LogReader
}

/** What the coordinator needs from a member. */
export interface Member extends GroupMemberSpec {
  readonly from: 'earliest' | 'latest'
  /** Closing: it gets nothing more, and what it owns goes to the others at the next rebalance. */
  readonly leaving: boolean
  /** Stop reading these partitions; resolves when no in-flight batch holds records of them. */
  revoke(keys: readonly string[]): Promise<void>
  /** Adds new ownerships; `all` is everything the member owns after this rebalance. */
  assign(added: readonly Ownership[], all: readonly TopicPartition[]): void
  owned(): readonly Ownership[]
}

export interface CommitPart {
  ownership: Ownership
  /** The last offset handled; the committed offset is the one after it. */
  lastOffset: bigint
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`
}

export class ConsumerGroup {
  readonly id: string
  readonly #store: OffsetStore
  readonly #partitions: (topic: string) => readonly PartitionLog[]
  readonly #rebalanceTimeoutMs: number
  readonly #log: Logger
  readonly #members: Member[] = []
  readonly #owners = new Map<string, Ownership>()
  #queue: Promise<void> = Promise.resolve()

  constructor(
    id: string,
    store: OffsetStore,
    partitions: (topic: string) => readonly PartitionLog[],
    options: { rebalanceTimeoutMs: number; log: Logger }
  ) {
    this.id = id
    this.#store = store
    this.#partitions = partitions
    this.#rebalanceTimeoutMs = options.rebalanceTimeoutMs
    this.#log = options.log.child({ group: id })
  }

  get size(): number {
    return this.#members.length
  }

  join(member: Member): Promise<void> {
    return this.#serial(async () => {
      this.#members.push(member)
      await this.#rebalance()
    })
  }

  /** Called by a member that has stopped: its partitions go to the others. */
  leave(member: Member): Promise<void> {
    return this.#serial(async () => {
      const index = this.#members.indexOf(member)
      if (index < 0) return
      this.#members.splice(index, 1)
      for (const ownership of member.owned())
        if (this.#owners.get(ownership.key) === ownership) this.#owners.delete(ownership.key)
      await this.#rebalance()
    })
  }

  /** Commits what a member handled, except on partitions it no longer owns. */
  async commit(parts: readonly CommitPart[]): Promise<void> {
    const current = parts.filter(part => this.#owners.get(part.ownership.key) === part.ownership)
    if (current.length < parts.length) {
      this.#log.warn(
        {
          partitions: parts
            .filter(p => !current.includes(p))
            .map(p => `${p.ownership.topic}/${p.ownership.partition}`)
        },
        'commit ignored for partitions that moved to another member meanwhile; they will be redelivered there'
      )
    }
    await this.#store.commit(
      this.id,
      current.map(({ ownership, lastOffset }) => ({
        topic: ownership.topic,
        partition: ownership.partition,
        offset: lastOffset + 1n
      }))
    )
  }

  #serial(task: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(task)
    this.#queue = next.catch(() => undefined)
    return next
  }

  async #rebalance(): Promise<void> {
    const current = new Map(
      this.#members.map(m => [m.id, m.owned().map(({ topic, partition }) => ({ topic, partition }))])
    )
    const staying = this.#members.filter(member => !member.leaving)
    const plan = assignPartitions(staying, topic => this.#partitions(topic).length, current)
    const targets = new Map(
      this.#members.map(m => [
        m,
        new Set((plan.get(m.id) ?? []).map(tp => partitionKey(tp.topic, tp.partition)))
      ])
    )
    await Promise.all(
      this.#members.map(async member => {
        const losing = member
          .owned()
          .map(ownership => ownership.key)
          .filter(key => !targets.get(member)?.has(key))
        if (losing.length === 0) return
        const released = await this.#withTimeout(member.revoke(losing))
        if (!released) {
          this.#log.warn(
            { member: member.id, timeoutMs: this.#rebalanceTimeoutMs },
            'a member did not finish its batch within the rebalance timeout; its partitions move anyway'
          )
        }
        for (const key of losing) this.#owners.delete(key)
      })
    )
    for (const member of staying) {
      const all = plan.get(member.id) ?? []
      const added: Ownership[] = []
      for (const tp of all) {
        const key = partitionKey(tp.topic, tp.partition)
        if (this.#owners.has(key)) continue
        const ownership = this.#own(tp, key, member.from)
        this.#owners.set(key, ownership)
        added.push(ownership)
      }
      member.assign(added, all)
    }
    this.#log.info(
      { members: this.#members.map(m => `${m.id}:${(plan.get(m.id) ?? []).length}`) },
      'group rebalanced'
    )
  }

  #own(tp: TopicPartition, key: string, from: 'earliest' | 'latest'): Ownership {
    const log = this.#partitions(tp.topic)[tp.partition]
    if (log === undefined) throw new Error(`no partition ${tp.topic}/${tp.partition}`)
    const committed = this.#store.committed(this.id, tp.topic, tp.partition)
    let start = committed ?? (from === 'latest' ? log.endOffset : log.startOffset)
    if (start > log.endOffset) {
      // Only possible if the log lost its tail after the commit (a damaged disk): resume at the end.
      this.#log.warn(
        { ...tp, committed: String(start), end: String(log.endOffset) },
        'committed offset past the log end'
      )
      start = log.endOffset
    }
    return { ...tp, key, log, reader: new LogReader(log, start, this.#log) }
  }

  #withTimeout(work: Promise<void>): Promise<boolean> {
    return new Promise(resolve => {
      const timer = setTimeout(() => resolve(false), this.#rebalanceTimeoutMs)
      work.then(
        () => {
          clearTimeout(timer)
          resolve(true)
        },
        () => {
          clearTimeout(timer)
          resolve(true)
        }
      )
    })
  }
}
