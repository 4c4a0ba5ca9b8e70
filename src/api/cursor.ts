/**
 * Page cursors: opaque to clients (base64url JSON), a keyset position to the server. A cursor names
 * the last row of the page it continues, so pages stay stable while new rows arrive at the head.
 */
import type { Before } from '../store/queries/params.ts'
import { badRequest } from './errors.ts'

const EXPECTED = 'the nextCursor value of a previous page of the same list'

export function encodeCursor(position: Before | string): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url')
}

function decode(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw badRequest('cursor', EXPECTED, 'parameter "cursor" is not a cursor this API issued')
  }
}

const isTime = (value: unknown): value is string =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value))

/** A cursor of a newest-first list: the (time, id) of the last row sent. */
export function decodeBefore(cursor: string | undefined): Before | undefined {
  if (cursor === undefined) return undefined
  const value = decode(cursor)
  if (typeof value === 'object' && value !== null && 'time' in value && 'id' in value) {
    const { time, id } = value
    if (isTime(time) && (typeof id === 'string' || typeof id === 'number')) return { time, id: String(id) }
  }
  throw badRequest('cursor', EXPECTED, 'parameter "cursor" is not a cursor of this list')
}

/** A cursor of a time series: the bucket of the last point sent. */
export function decodeAfter(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined
  const value = decode(cursor)
  if (isTime(value)) return value
  throw badRequest('cursor', EXPECTED, 'parameter "cursor" is not a cursor of this series')
}
