/**
 * A cursor over one partition: reads records from a given offset onwards, up to the durable end,
 * crossing segment boundaries. It reads the file in chunks (a few hundred KiB, more for a record
 * that is larger) and hands out records whose values are views into the chunk, so memory per
 * reader stays bounded whatever the size of the log.
 *
 * There is no offset index: positioning at an offset reads its segment from the start and skips
 * (cheap with segments of a few MiB, and it only happens when a partition is assigned or rewound).
 */
import { type FileHandle, open } from 'node:fs/promises'
import type { Logger } from 'pino'
import { CryptoVizError, ErrorCodes } from '../../errors/errors.ts'
import type { ConsumedRecord } from '../bus.ts'
import type { PartitionLog } from './partition-log.ts'
import { SEGMENT_HEADER_BYTES, checkFrame, decodeRecord } from './record-format.ts'

const CHUNK_BYTES = 256 * 1024
const EMPTY = Buffer.alloc(0)

export class LogReader {
  readonly #log: PartitionLog
  readonly #logger: Logger
  #next: bigint
  #segment: bigint | undefined
  #handle: FileHandle | undefined
  #chunk: Buffer = EMPTY
  /** File position of the chunk's first byte. */
  #chunkStart = SEGMENT_HEADER_BYTES
  /** Parse position inside the chunk. */
  #at = 0

  constructor(log: PartitionLog, offset: bigint, logger: Logger) {
    this.#log = log
    this.#logger = logger
    this.#next = offset
  }

  /** The offset the next record read will have. */
  get position(): bigint {
    return this.#next
  }

  /** True when records past the position are durable and waiting to be read. */
  get hasMore(): boolean {
    return this.#next < this.#log.endOffset
  }

  /** Moves the cursor (to re-read records of a batch that was not committed). */
  seek(offset: bigint): void {
    this.#next = offset
    void this.#closeSegment()
  }

  async read(max: number): Promise<ConsumedRecord[]> {
    const out: ConsumedRecord[] = []
    const { topic, partition } = this.#log
    while (out.length < max && this.#next < this.#log.endOffset) {
      if (this.#next < this.#log.startOffset) {
        this.#logger.warn(
          { topic, partition, from: String(this.#next), to: String(this.#log.startOffset) },
          'embedded bus: records were deleted by retention before this group read them; skipping ahead'
        )
        this.#next = this.#log.startOffset
        await this.#closeSegment()
        continue
      }
      const view = this.#log.segmentFor(this.#next)
      if (view === undefined) break
      if (view.base !== this.#segment) {
        await this.#closeSegment()
        const handle = await open(view.path, 'r').catch((error: NodeJS.ErrnoException) => {
          // Retention deleted it between the lookup and the open: look again.
          if (error.code === 'ENOENT') return undefined
          throw error
        })
        if (handle === undefined) continue
        this.#handle = handle
        this.#segment = view.base
      }
      const check = checkFrame(this.#chunk, this.#at)
      if (check.kind === 'record') {
        if (check.offset === this.#next) {
          out.push(decodeRecord(this.#chunk, this.#at, topic, partition))
          this.#next++
        } else if (check.offset > this.#next) {
          throw this.#damaged(`record ${check.offset} found where ${this.#next} was expected`)
        }
        this.#at += check.size
        continue
      }
      if (check.kind === 'corrupt') throw this.#damaged(check.reason)
      const position = this.#chunkStart + this.#at
      if (position >= view.readableBytes) {
        if (view.nextBase === undefined)
          throw this.#damaged(`segment ${view.path} ends before offset ${this.#next}`)
        if (this.#next < view.nextBase) {
          // The records in between are gone: a segment was removed by hand (docs/bus.md).
          this.#logger.warn(
            { topic, partition, from: String(this.#next), to: String(view.nextBase), segment: view.path },
            'embedded bus: records missing after this segment; skipping to the next segment'
          )
          this.#next = view.nextBase
        }
        continue
      }
      const length = Math.min(Math.max(CHUNK_BYTES, check.needed), view.readableBytes - position)
      if (length < check.needed) throw this.#damaged(`record at byte ${position} runs past the durable end`)
      await this.#fill(position, length)
    }
    return out
  }

  async #fill(position: number, length: number): Promise<void> {
    const chunk = Buffer.allocUnsafe(length)
    let filled = 0
    while (filled < length) {
      const handle = this.#handle
      if (handle === undefined) throw this.#damaged('segment closed while reading')
      const { bytesRead } = await handle.read(chunk, filled, length - filled, position + filled)
      if (bytesRead === 0) throw this.#damaged(`segment shorter than its ${position + length} durable bytes`)
      filled += bytesRead
    }
    this.#chunk = chunk
    this.#chunkStart = position
    this.#at = 0
  }

  #damaged(detail: string): CryptoVizError {
    return new CryptoVizError(
      ErrorCodes.BUS_STORAGE,
      `embedded log ${this.#log.topic}/${this.#log.partition} is damaged: ${detail}`,
      { retryable: false }
    )
  }

  async #closeSegment(): Promise<void> {
    const handle = this.#handle
    this.#handle = undefined
    this.#segment = undefined
    this.#chunk = EMPTY
    this.#chunkStart = SEGMENT_HEADER_BYTES
    this.#at = 0
    await handle?.close().catch(() => undefined)
  }

  async close(): Promise<void> {
    await this.#closeSegment()
  }
}
