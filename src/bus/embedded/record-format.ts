/**
 * The embedded log's bytes. A segment file is an 8-byte header (magic + format version) followed by
 * records, each framed so that a torn write is recognisable:
 *
 *   u32 body length | u32 CRC-32 of the body | body
 *   body = u64 offset | f64 timestamp (epoch ms) | u32 key length | key (UTF-8)
 *        | u16 header count | (u16 name length | name | u32 value length | value)* | value (rest)
 *
 * Integers are big-endian, as in Kafka's own format. The offset inside the body lets a reader check
 * that it is where it thinks it is; the CRC covers everything after it, so a half-written record
 * (a crash mid-write) or garbage after the last good record fails the check and marks the end.
 */
import { crc32 } from 'node:zlib'
import type { ConsumedRecord } from '../bus.ts'

export const SEGMENT_MAGIC = Buffer.from('CVBUSLG', 'latin1')
export const FORMAT_VERSION = 1
export const SEGMENT_HEADER_BYTES = 8
export const FRAME_HEADER_BYTES = 8
/** Larger bodies are refused on write, and a length above it on read can only be garbage. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024

export function segmentHeader(): Buffer {
  const header = Buffer.alloc(SEGMENT_HEADER_BYTES)
  SEGMENT_MAGIC.copy(header, 0)
  header.writeUInt8(FORMAT_VERSION, 7)
  return header
}

export function isSegmentHeader(bytes: Buffer): boolean {
  return (
    bytes.length >= SEGMENT_HEADER_BYTES &&
    bytes.subarray(0, 7).equals(SEGMENT_MAGIC) &&
    bytes.readUInt8(7) === FORMAT_VERSION
  )
}

/** A record ready to be framed: value already bytes, its size known. */
export interface EncodableRecord {
  key: string
  value: Buffer
  headers: readonly (readonly [string, string])[]
  timestamp: number
}

export function encodedSize(record: EncodableRecord): number {
  let size = FRAME_HEADER_BYTES + 8 + 8 + 4 + Buffer.byteLength(record.key) + 2 + record.value.length
  for (const [name, value] of record.headers)
    size += 2 + Buffer.byteLength(name) + 4 + Buffer.byteLength(value)
  return size
}

/** Frames `records` into one buffer of `totalSize` bytes, numbering them from `firstOffset`. */
export function encodeRecords(
  records: readonly EncodableRecord[],
  firstOffset: bigint,
  totalSize: number
): Buffer {
  const out = Buffer.allocUnsafe(totalSize)
  let pos = 0
  let offset = firstOffset
  for (const record of records) {
    const frameStart = pos
    pos += FRAME_HEADER_BYTES
    const bodyStart = pos
    pos = out.writeBigUInt64BE(offset, pos)
    pos = out.writeDoubleBE(record.timestamp, pos)
    const keyLength = out.write(record.key, pos + 4)
    pos = out.writeUInt32BE(keyLength, pos) + keyLength
    pos = out.writeUInt16BE(record.headers.length, pos)
    for (const [name, value] of record.headers) {
      const nameLength = out.write(name, pos + 2)
      pos = out.writeUInt16BE(nameLength, pos) + nameLength
      const valueLength = out.write(value, pos + 4)
      pos = out.writeUInt32BE(valueLength, pos) + valueLength
    }
    pos += record.value.copy(out, pos)
    out.writeUInt32BE(pos - bodyStart, frameStart)
    out.writeUInt32BE(crc32(out.subarray(bodyStart, pos)), frameStart + 4)
    offset++
  }
  if (pos !== totalSize) throw new Error(`encoded ${pos} bytes, expected ${totalSize}`)
  return out
}

/** What lies at a position of a buffer read from a segment. */
export type FrameCheck =
  /** A whole, intact record of `size` bytes (frame included) numbered `offset`. */
  | { kind: 'record'; size: number; offset: bigint }
  /** The buffer ends inside a record: read more (or, at the end of the file, a torn tail). */
  | { kind: 'incomplete'; needed: number }
  /** Not a record: a bad length or checksum. */
  | { kind: 'corrupt'; reason: string }

export function checkFrame(buffer: Buffer, pos: number): FrameCheck {
  if (buffer.length - pos < FRAME_HEADER_BYTES) return { kind: 'incomplete', needed: FRAME_HEADER_BYTES }
  const bodyLength = buffer.readUInt32BE(pos)
  if (bodyLength < 8 + 8 + 4 + 2 || bodyLength > MAX_RECORD_BYTES)
    return { kind: 'corrupt', reason: `impossible record length ${bodyLength}` }
  const size = FRAME_HEADER_BYTES + bodyLength
  if (buffer.length - pos < size) return { kind: 'incomplete', needed: size }
  const bodyStart = pos + FRAME_HEADER_BYTES
  if (crc32(buffer.subarray(bodyStart, pos + size)) !== buffer.readUInt32BE(pos + 4))
    return { kind: 'corrupt', reason: 'checksum mismatch' }
  return { kind: 'record', size, offset: buffer.readBigUInt64BE(bodyStart) }
}

/**
 * Decodes the record at `pos`, which checkFrame found intact. The value is a view into `buffer`
 * (no copy): the chunk stays alive as long as a record of it is referenced.
 */
export function decodeRecord(buffer: Buffer, pos: number, topic: string, partition: number): ConsumedRecord {
  const end = pos + FRAME_HEADER_BYTES + buffer.readUInt32BE(pos)
  let at = pos + FRAME_HEADER_BYTES
  const offset = buffer.readBigUInt64BE(at)
  const timestamp = buffer.readDoubleBE(at + 8)
  const keyLength = buffer.readUInt32BE(at + 16)
  at += 20
  const key = buffer.toString('utf8', at, at + keyLength)
  at += keyLength
  const headerCount = buffer.readUInt16BE(at)
  at += 2
  const headers: Record<string, string> = {}
  for (let i = 0; i < headerCount; i++) {
    const nameLength = buffer.readUInt16BE(at)
    const name = buffer.toString('utf8', at + 2, at + 2 + nameLength)
    at += 2 + nameLength
    const valueLength = buffer.readUInt32BE(at)
    headers[name] = buffer.toString('utf8', at + 4, at + 4 + valueLength)
    at += 4 + valueLength
  }
  return { topic, partition, offset, key, value: buffer.subarray(at, end), headers, timestamp }
}
