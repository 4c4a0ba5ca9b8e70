/**
 * Reads an embedded bus folder without opening the bus: no lock, no recovery, no write of any kind.
 * The running process holds the folder's lock (one writer per folder), so `crypto-viz doctor` and
 * other lookers read the files as they are: segments are append-only and framed with a checksum,
 * and `offsets.log` is a sequence of framed commits, so a torn tail being written right now is
 * simply where the reading stops. What it reports is what the log held a moment ago.
 */
import { readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { BusInspector, ConsumerGroupOffsets, GroupPartitionOffsets, PartitionOffsets } from '../bus.ts'
import { consumerGroupOffsets, groupPartitionOffsets } from '../group-offsets.ts'
import { readEntries } from './offset-store.ts'
import { SEGMENT_HEADER_BYTES, checkFrame, decodeRecord, isSegmentHeader } from './record-format.ts'

const SEGMENT_NAME = /^(\d{20})\.log$/

interface PartitionState extends PartitionOffsets {
  /** Append time of the newest record, epoch ms; undefined when the partition is empty. */
  newestMs: number | undefined
}

/** The process id in the folder's LOCK file, if any (the bus that has it open, or had it). */
export async function lockHolder(dir: string): Promise<number | undefined> {
  const text = await readFile(join(dir, 'LOCK'), 'utf8').catch(() => '')
  const pid = Number.parseInt(text, 10)
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
}

export class FolderInspector implements BusInspector {
  readonly #dir: string

  constructor(dir: string) {
    this.#dir = dir
  }

  /** Partitions present in the folder per topic (folders named `<topic>-<n>`). */
  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const names = await readdir(this.#dir).catch(() => [] as string[])
    const counts = new Map<string, number>(topics.map(t => [t, 0]))
    for (const name of names) {
      const match = /^(.*)-(\d+)$/.exec(name)
      if (match === null || !counts.has(match[1] ?? '')) continue
      const topic = match[1] ?? ''
      counts.set(topic, Math.max(counts.get(topic) ?? 0, Number(match[2]) + 1))
    }
    return counts
  }

  async partitionOffsets(topics: readonly string[]): Promise<PartitionOffsets[]> {
    return (await this.partitions(topics)).map(({ topic, partition, start, end }) => ({
      topic,
      partition,
      start,
      end
    }))
  }

  /** Offsets and the newest record's time of every partition of the given topics. */
  async partitions(topics: readonly string[]): Promise<PartitionState[]> {
    const counts = await this.partitionCounts(topics)
    const out: PartitionState[] = []
    for (const topic of topics) {
      for (let partition = 0; partition < (counts.get(topic) ?? 0); partition++)
        out.push({
          topic,
          partition,
          ...(await this.#readPartition(join(this.#dir, `${topic}-${partition}`)))
        })
    }
    return out
  }

  async groupOffsets(groupId: string, topics: readonly string[]): Promise<GroupPartitionOffsets[]> {
    const committed = (await this.committedOffsets()).get(groupId) ?? new Map<string, bigint>()
    return (await this.partitionOffsets(topics)).map(p =>
      groupPartitionOffsets(p, committed.get(`${p.topic}\u0000${p.partition}`))
    )
  }

  async consumerGroups(topics: readonly string[]): Promise<ConsumerGroupOffsets[]> {
    const committed = await this.committedOffsets()
    const groups = [...committed].map(([groupId, offsets]) => ({
      groupId,
      // The folder says what was committed, not who is a member now.
      state: 'unknown',
      committed: (topic: string, partition: number) => offsets.get(`${topic}\u0000${partition}`)
    }))
    return consumerGroupOffsets(groups, await this.partitionOffsets(topics))
  }

  /** group → `topic\0partition` → next offset, replayed from offsets.log up to its last intact entry. */
  async committedOffsets(): Promise<Map<string, Map<string, bigint>>> {
    const bytes = await readFile(join(this.#dir, 'offsets.log')).catch(() => Buffer.alloc(0))
    const groups = new Map<string, Map<string, bigint>>()
    for (const { groupId, offsets } of readEntries(bytes).entries) {
      const group = groups.get(groupId) ?? new Map<string, bigint>()
      for (const o of offsets) group.set(`${o.topic}\u0000${o.partition}`, o.offset)
      groups.set(groupId, group)
    }
    return groups
  }

  async #readPartition(dir: string): Promise<Omit<PartitionState, 'topic' | 'partition'>> {
    const bases = (await readdir(dir).catch(() => [] as string[]))
      .map(name => SEGMENT_NAME.exec(name)?.[1])
      .filter((base): base is string => base !== undefined)
      .map(base => BigInt(base))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const first = bases[0]
    const last = bases.at(-1)
    if (first === undefined || last === undefined) return { start: 0n, end: 0n, newestMs: undefined }
    const path = join(dir, `${last.toString().padStart(20, '0')}.log`)
    // The last segment is at most 16 MiB: read it whole and walk its frames to the last intact one.
    const bytes =
      (await stat(path).catch(() => undefined)) === undefined ? Buffer.alloc(0) : await readFile(path)
    if (bytes.length < SEGMENT_HEADER_BYTES || !isSegmentHeader(bytes.subarray(0, SEGMENT_HEADER_BYTES)))
      return { start: first, end: last, newestMs: undefined }
    let at = SEGMENT_HEADER_BYTES
    let end = last
    let newest: number | undefined
    for (;;) {
      const frame = checkFrame(bytes, at)
      if (frame.kind !== 'record' || frame.offset !== end) break
      newest = decodeRecord(bytes, at, '', 0).timestamp
      end++
      at += frame.size
    }
    return { start: first, end, newestMs: newest }
  }
}
