/**
 * One partition of the embedded log: an append-only sequence of segment files in its own folder.
 *
 * Appends go through the flusher in three steps (write, sync, publish) so that one fsync covers
 * every record that arrived meanwhile. Readers only ever see records up to the durable end: a record
 * a consumer handled (and whose offset it committed) can never vanish in a crash, so a committed
 * offset never points past the end of the log.
 *
 * On open, the last segment is scanned and a torn or garbled tail (a crash mid-write) is cut off at
 * the last intact record. Retention deletes whole closed segments, oldest first, when the partition
 * is over its size budget or a segment's newest record is older than the topic's retention.
 */
import { type FileHandle, open, unlink } from 'node:fs/promises'
import type { Logger } from 'pino'
import { CryptoVizError, ErrorCodes, describeError } from '../../errors/errors.ts'
import { type EncodableRecord, encodeRecords, encodedSize } from './record-format.ts'
import {
  type SegmentFile,
  createSegment,
  listSegments,
  scanSegment,
  segmentPath,
  syncDirectory
} from './segment-files.ts'

export interface PartitionLogOptions {
  dir: string
  topic: string
  partition: number
  /** A segment is closed and a new one started once it would grow past this. */
  segmentBytes: number
  /** Size budget of the partition; the oldest closed segments go first. */
  retentionBytes: number
  retentionMs: number
  log: Logger
}

/** Where a reader finds an offset: the segment holding it and how far that segment may be read. */
export interface SegmentView {
  base: bigint
  path: string
  /** Bytes a reader may read: the whole file once closed, the durable part while active. */
  readableBytes: number
  /** Base of the following segment; undefined for the active one. */
  nextBase: bigint | undefined
}

export class PartitionLog {
  readonly topic: string
  readonly partition: number
  readonly #options: PartitionLogOptions
  readonly #segments: SegmentFile[]
  readonly #listeners = new Set<() => void>()
  #active: FileHandle
  /** Durable (synced) bytes of the active segment: the limit for readers. */
  #durableBytes: number
  #durableEnd: bigint
  /** Written but not yet published: the next round's tail, or nothing. */
  #written: { bytes: number; records: number } | undefined
  #broken: unknown

  private constructor(
    options: PartitionLogOptions,
    segments: SegmentFile[],
    active: FileHandle,
    end: bigint
  ) {
    this.topic = options.topic
    this.partition = options.partition
    this.#options = options
    this.#segments = segments
    this.#active = active
    const last = segments.at(-1)
    this.#durableBytes = last?.bytes ?? 0
    this.#durableEnd = end
  }

  static async open(options: PartitionLogOptions): Promise<PartitionLog> {
    const segments = await listSegments(options.dir)
    const last = segments.at(-1)
    if (last === undefined) {
      const handle = await createSegment(options.dir, 0n)
      const fresh: SegmentFile = {
        base: 0n,
        path: segmentPath(options.dir, 0n),
        bytes: 8,
        modifiedMs: Date.now()
      }
      return new PartitionLog(options, [fresh], handle, 0n)
    }
    const handle = await open(last.path, 'r+')
    const scan = await scanSegment(handle, last.base, last.bytes)
    if (scan.validBytes === 0) {
      // Not even a header: a crash right after the file was created. Start it again.
      await handle.close()
      await unlink(last.path)
      segments.pop()
      const recreated = await createSegment(options.dir, last.base)
      segments.push({ ...last, bytes: 8, modifiedMs: Date.now() })
      return new PartitionLog(options, segments, recreated, last.base)
    }
    if (scan.validBytes < last.bytes) {
      options.log.warn(
        {
          topic: options.topic,
          partition: options.partition,
          segment: last.path,
          droppedBytes: last.bytes - scan.validBytes,
          keptRecords: scan.records,
          problem: scan.problem
        },
        'embedded log: torn or garbled tail cut off at the last intact record'
      )
      await handle.truncate(scan.validBytes)
      await handle.datasync()
      last.bytes = scan.validBytes
    }
    return new PartitionLog(options, segments, handle, last.base + BigInt(scan.records))
  }

  get startOffset(): bigint {
    return this.#segments[0]?.base ?? this.#durableEnd
  }

  /** The offset the next record gets; records below it are durable and readable. */
  get endOffset(): bigint {
    return this.#durableEnd
  }

  get bytes(): number {
    return this.#segments.reduce(
      (sum, s, i) => sum + (i === this.#segments.length - 1 ? this.#durableBytes : s.bytes),
      0
    )
  }

  /** Called after every append that readers can see. Returns the unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  segmentFor(offset: bigint): SegmentView | undefined {
    let low = 0
    let high = this.#segments.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if ((this.#segments[mid]?.base ?? 0n) <= offset) low = mid
      else high = mid - 1
    }
    const segment = this.#segments[low]
    if (segment === undefined || segment.base > offset) return undefined
    const next = this.#segments[low + 1]
    return {
      base: segment.base,
      path: segment.path,
      readableBytes: next === undefined ? this.#durableBytes : segment.bytes,
      nextBase: next?.base
    }
  }

  /** Step 1 of an append: frames the records after the end and writes them (not yet durable). */
  async write(records: readonly EncodableRecord[], now: number): Promise<void> {
    if (this.#broken !== undefined) {
      throw new CryptoVizError(
        ErrorCodes.BUS_STORAGE,
        `partition ${this.topic}/${this.#options.partition} stopped accepting writes after a failed fsync ` +
          `(${describeError(this.#broken)}); restart to recover it from disk`,
        { cause: this.#broken }
      )
    }
    let size = 0
    for (const record of records) size += encodedSize(record)
    if (this.#durableBytes + size > this.#options.segmentBytes && this.#durableEnd > this.#activeBase())
      await this.#roll()
    const buffer = encodeRecords(records, this.#durableEnd, size)
    let done = 0
    while (done < size) {
      const { bytesWritten } = await this.#active.write(buffer, done, size - done, this.#durableBytes + done)
      done += bytesWritten
    }
    this.#written = { bytes: size, records: records.length }
    const active = this.#segments.at(-1)
    if (active !== undefined) active.modifiedMs = now
  }

  /** Step 2: makes what was written durable. A failure leaves the partition unwritable until reopened. */
  async sync(): Promise<void> {
    try {
      await this.#active.datasync()
    } catch (error) {
      // After a failed fsync the kernel may have dropped the dirty pages: what is on disk is
      // unknown, so only a reopen (which rescans the tail) can say where the log really ends.
      this.#broken = error
      throw error
    }
  }

  /** Step 3: readers may now see the records. */
  publish(): void {
    if (this.#written === undefined) return
    this.#durableBytes += this.#written.bytes
    this.#durableEnd += BigInt(this.#written.records)
    this.#written = undefined
    for (const listener of this.#listeners) listener()
  }

  /** Undoes a failed round: cuts the written bytes so the next round starts at the durable end. */
  async discard(): Promise<void> {
    if (this.#written === undefined) return
    this.#written = undefined
    try {
      await this.#active.truncate(this.#durableBytes)
    } catch (error) {
      this.#broken ??= error
    }
  }

  #activeBase(): bigint {
    return this.#segments.at(-1)?.base ?? 0n
  }

  async #roll(): Promise<void> {
    const closing = this.#segments.at(-1)
    if (closing !== undefined) closing.bytes = this.#durableBytes
    const handle = await createSegment(this.#options.dir, this.#durableEnd)
    await this.#active.close()
    this.#active = handle
    this.#durableBytes = 8
    this.#segments.push({
      base: this.#durableEnd,
      path: segmentPath(this.#options.dir, this.#durableEnd),
      bytes: 8,
      modifiedMs: Date.now()
    })
  }

  /**
   * Deletes the oldest closed segments while the partition is over its size budget or their newest
   * record is older than the retention. An active segment that has itself aged out is closed first
   * (so a partition nobody writes to any more still empties).
   */
  async enforceRetention(now: number): Promise<number> {
    if (this.#written !== undefined || this.#broken !== undefined) return 0
    const cutoff = now - this.#options.retentionMs
    const active = this.#segments.at(-1)
    if (active !== undefined && active.modifiedMs < cutoff && this.#durableEnd > active.base)
      await this.#roll()
    let deleted = 0
    for (;;) {
      const oldest = this.#segments[0]
      if (oldest === undefined || this.#segments.length < 2) break
      if (this.bytes <= this.#options.retentionBytes && oldest.modifiedMs >= cutoff) break
      // Out of the list first, so no reader starts on it; readers holding the file open keep
      // reading it (POSIX). If the file cannot go (Windows, permissions), it comes back and the
      // next check tries again.
      this.#segments.shift()
      try {
        await unlink(oldest.path)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          this.#segments.unshift(oldest)
          throw error
        }
      }
      deleted++
    }
    if (deleted > 0) await syncDirectory(this.#options.dir)
    return deleted
  }

  async close(): Promise<void> {
    await this.#active.close().catch(() => undefined)
    this.#listeners.clear()
  }
}
