/**
 * Committed offsets of every consumer group, persisted as one append-only file (`offsets.log`) that
 * is replayed on open, the way Kafka keeps them in `__consumer_offsets`. Each commit is one framed
 * entry (u32 length | u32 CRC-32 | body), so a torn last entry is recognised and dropped; once the
 * file passes a size threshold it is rewritten as a snapshot (temp file, fsync, rename).
 *
 * Durability: an entry is written (to the OS) before `commit` resolves, so a crash of the process
 * loses no commit; it is fsynced at most a second later, so a power loss can lose the last second
 * of commits, which only means redelivery (at-least-once), never loss. A committed offset is never
 * ahead of the durable log because readers only see durable records (see partition-log.ts).
 */
import { type FileHandle, open, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import type { Logger } from 'pino'
import { describeError } from '../../errors/errors.ts'
import { syncDirectory } from './segment-files.ts'

export interface CommittedOffset {
  topic: string
  partition: number
  /** The next offset to read. */
  offset: bigint
}

const FILE = 'offsets.log'
const SYNC_EVERY_MS = 1_000

export interface OffsetStoreOptions {
  /** Size past which the file is rewritten as a snapshot. Default 1 MiB. */
  compactAfterBytes?: number
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`
}

function encodeEntry(groupId: string, offsets: readonly CommittedOffset[]): Buffer {
  const parts: Buffer[] = []
  const group = Buffer.from(groupId)
  const head = Buffer.alloc(4)
  head.writeUInt16BE(group.length, 0)
  head.writeUInt16BE(offsets.length, 2)
  parts.push(head, group)
  for (const { topic, partition, offset } of offsets) {
    const name = Buffer.from(topic)
    const fixed = Buffer.alloc(2 + 4 + 8)
    fixed.writeUInt16BE(name.length, 0)
    fixed.writeUInt32BE(partition, 2)
    fixed.writeBigUInt64BE(offset, 6)
    parts.push(fixed.subarray(0, 2), name, fixed.subarray(2))
  }
  const body = Buffer.concat(parts)
  const frame = Buffer.alloc(8)
  frame.writeUInt32BE(body.length, 0)
  frame.writeUInt32BE(crc32(body), 4)
  return Buffer.concat([frame, body])
}

function decodeBody(body: Buffer): { groupId: string; offsets: CommittedOffset[] } {
  const groupLength = body.readUInt16BE(0)
  const count = body.readUInt16BE(2)
  const groupId = body.toString('utf8', 4, 4 + groupLength)
  let at = 4 + groupLength
  const offsets: CommittedOffset[] = []
  for (let i = 0; i < count; i++) {
    const nameLength = body.readUInt16BE(at)
    const topic = body.toString('utf8', at + 2, at + 2 + nameLength)
    at += 2 + nameLength
    offsets.push({ topic, partition: body.readUInt32BE(at), offset: body.readBigUInt64BE(at + 4) })
    at += 12
  }
  return { groupId, offsets }
}

export interface CommitEntry {
  groupId: string
  offsets: CommittedOffset[]
}

/**
 * The entries of an offsets.log image up to its last intact one, and the bytes those span: what
 * follows is a torn last commit.
 */
export function readEntries(bytes: Buffer): { entries: CommitEntry[]; intactBytes: number } {
  const entries: CommitEntry[] = []
  let at = 0
  while (bytes.length - at >= 8) {
    const length = bytes.readUInt32BE(at)
    const end = at + 8 + length
    if (length < 4 || end > bytes.length) break
    const body = bytes.subarray(at + 8, end)
    if (crc32(body) !== bytes.readUInt32BE(at + 4)) break
    entries.push(decodeBody(body))
    at = end
  }
  return { entries, intactBytes: at }
}

export class OffsetStore {
  readonly #dir: string
  readonly #log: Logger
  readonly #compactAfterBytes: number
  readonly #groups = new Map<string, Map<string, CommittedOffset>>()
  #handle: FileHandle
  #size: number
  #dirty = false
  #chain: Promise<void> = Promise.resolve()
  readonly #timer: NodeJS.Timeout

  private constructor(dir: string, log: Logger, handle: FileHandle, options: OffsetStoreOptions) {
    this.#dir = dir
    this.#compactAfterBytes = options.compactAfterBytes ?? 1024 * 1024
    this.#log = log
    this.#handle = handle
    this.#size = 0
    this.#timer = setInterval(() => void this.#serial(() => this.#syncIfDirty()), SYNC_EVERY_MS)
    this.#timer.unref()
  }

  static async open(dir: string, log: Logger, options: OffsetStoreOptions = {}): Promise<OffsetStore> {
    // 'a+': reads from anywhere, writes always at the end, which is what an append-only file wants.
    const handle = await open(join(dir, FILE), 'a+')
    const bytes = await handle.readFile()
    const store = new OffsetStore(dir, log, handle, options)
    const { entries, intactBytes: at } = readEntries(bytes)
    for (const { groupId, offsets } of entries) store.#apply(groupId, offsets)
    if (at < bytes.length) {
      log.warn({ droppedBytes: bytes.length - at }, 'embedded bus: torn last offset commit dropped')
      await handle.truncate(at)
      await handle.datasync()
    }
    store.#size = at
    return store
  }

  /** The group's committed next offset on a partition, if it ever committed there. */
  committed(groupId: string, topic: string, partition: number): bigint | undefined {
    return this.#groups.get(groupId)?.get(partitionKey(topic, partition))?.offset
  }

  /** Every group that ever committed. */
  groupIds(): string[] {
    return [...this.#groups.keys()]
  }

  /** Bytes in the file now (the tests watch compaction with it). */
  get bytes(): number {
    return this.#size
  }

  /** Records the group's offsets; resolves once they are written (see the file comment for fsync). */
  commit(groupId: string, offsets: readonly CommittedOffset[]): Promise<void> {
    if (offsets.length === 0) return Promise.resolve()
    this.#apply(groupId, offsets)
    const entry = encodeEntry(groupId, offsets)
    return this.#serial(async () => {
      await this.#handle.write(entry)
      this.#size += entry.length
      this.#dirty = true
      if (this.#size > this.#compactAfterBytes) await this.#compact()
    })
  }

  async close(): Promise<void> {
    clearInterval(this.#timer)
    await this.#serial(() => this.#syncIfDirty())
    await this.#handle.close()
  }

  #apply(groupId: string, offsets: readonly CommittedOffset[]): void {
    let group = this.#groups.get(groupId)
    if (group === undefined) this.#groups.set(groupId, (group = new Map()))
    for (const offset of offsets) group.set(partitionKey(offset.topic, offset.partition), { ...offset })
  }

  #serial(task: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(task)
    this.#chain = next.catch(error =>
      this.#log.error({ err: describeError(error) }, 'embedded bus: writing committed offsets failed')
    )
    return next
  }

  async #syncIfDirty(): Promise<void> {
    if (!this.#dirty) return
    this.#dirty = false
    await this.#handle.datasync()
  }

  /** Rewrites the file as one entry per group, atomically (temp file, fsync, rename, fsync dir). */
  async #compact(): Promise<void> {
    const snapshot = Buffer.concat(
      [...this.#groups].map(([groupId, offsets]) => encodeEntry(groupId, [...offsets.values()]))
    )
    const temp = join(this.#dir, `${FILE}.tmp`)
    const out = await open(temp, 'w')
    try {
      await out.writeFile(snapshot)
      await out.datasync()
    } finally {
      await out.close()
    }
    await rename(temp, join(this.#dir, FILE))
    await syncDirectory(this.#dir)
    await this.#handle.close()
    this.#handle = await open(join(this.#dir, FILE), 'a+')
    this.#size = snapshot.length
    this.#dirty = false
  }
}
