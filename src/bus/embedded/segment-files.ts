/**
 * A partition's segment files on disk: naming (the base offset, zero-padded, as Kafka does, so that
 * names sort like offsets), listing, creation with a header, and the recovery scan that finds where
 * the last good record ends.
 */
import { type FileHandle, mkdir, open, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import {
  FRAME_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
  checkFrame,
  isSegmentHeader,
  segmentHeader
} from './record-format.ts'

const SEGMENT_NAME = /^(\d{20})\.log$/

export interface SegmentFile {
  base: bigint
  path: string
  /** Bytes in the file (header included). */
  bytes: number
  /** Last modification, epoch ms: for a closed segment, when its last record was written. */
  modifiedMs: number
}

export function segmentPath(dir: string, base: bigint): string {
  return join(dir, `${base.toString().padStart(20, '0')}.log`)
}

/** The segments of a partition folder, oldest first (creating the folder if missing). */
export async function listSegments(dir: string): Promise<SegmentFile[]> {
  await mkdir(dir, { recursive: true })
  const segments: SegmentFile[] = []
  for (const name of await readdir(dir)) {
    const match = SEGMENT_NAME.exec(name)
    if (match === null) continue
    const path = join(dir, name)
    const info = await stat(path)
    segments.push({ base: BigInt(match[1] ?? '0'), path, bytes: info.size, modifiedMs: info.mtimeMs })
  }
  return segments.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0))
}

/** Creates an empty segment (header only), durably: the file and its directory entry. */
export async function createSegment(dir: string, base: bigint): Promise<FileHandle> {
  const handle = await open(segmentPath(dir, base), 'wx+')
  await handle.write(segmentHeader(), 0, SEGMENT_HEADER_BYTES, 0)
  await handle.datasync()
  await syncDirectory(dir)
  return handle
}

/** Makes a created, renamed or deleted entry of `dir` durable (a no-op where unsupported). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined)
  if (handle === undefined) return
  try {
    await handle.sync()
  } catch {
    // Some platforms refuse fsync on directories; the entry is then as durable as they make it.
  } finally {
    await handle.close()
  }
}

export interface ScanResult {
  /** Records found intact, in offset order from the segment's base. */
  records: number
  /** Where the last intact record ends: everything after it is a torn or garbled tail. */
  validBytes: number
  /** Why the scan stopped before the end of the file, if it did. */
  problem: string | undefined
}

const SCAN_CHUNK = 1024 * 1024

/**
 * Reads a segment from its header to its end, checking every frame's length, checksum and offset,
 * and reports how far the records are intact. Reads in bounded chunks: memory stays flat however
 * large the segment.
 */
export async function scanSegment(handle: FileHandle, base: bigint, fileBytes: number): Promise<ScanResult> {
  const header = Buffer.alloc(SEGMENT_HEADER_BYTES)
  const { bytesRead } = await handle.read(header, 0, SEGMENT_HEADER_BYTES, 0)
  if (bytesRead < SEGMENT_HEADER_BYTES || !isSegmentHeader(header))
    return { records: 0, validBytes: 0, problem: 'missing or unknown segment header' }
  let position = SEGMENT_HEADER_BYTES
  let expected = base
  let buffer = Buffer.alloc(0)
  let bufferStart = position
  for (;;) {
    const at = position - bufferStart
    const check = checkFrame(buffer, at)
    if (check.kind === 'record') {
      if (check.offset !== expected) {
        return {
          records: Number(expected - base),
          validBytes: position,
          problem: `record numbered ${check.offset} where ${expected} was expected`
        }
      }
      position += check.size
      expected++
      continue
    }
    if (check.kind === 'corrupt')
      return { records: Number(expected - base), validBytes: position, problem: check.reason }
    if (position + FRAME_HEADER_BYTES > fileBytes || position + check.needed > fileBytes) {
      const problem =
        position === fileBytes ? undefined : `${fileBytes - position} bytes of an incomplete record`
      return { records: Number(expected - base), validBytes: position, problem }
    }
    const length = Math.min(Math.max(SCAN_CHUNK, check.needed), fileBytes - position)
    buffer = Buffer.allocUnsafe(length)
    const read = await handle.read(buffer, 0, length, position)
    buffer = buffer.subarray(0, read.bytesRead)
    bufferStart = position
    if (read.bytesRead === 0)
      return { records: Number(expected - base), validBytes: position, problem: 'file shorter than stated' }
  }
}
