/**
 * Page cursors: opaque to clients, a keyset position to the server. A cursor names the last row of
 * the page it continues, so pages stay stable while new rows arrive at the head.
 *
 * A cursor is `<payload>.<mac>`: the position as base64url JSON, and an HMAC-SHA256 (first 16
 * bytes) of the list's name and the payload under the deployment's cursor key. A cursor that was
 * altered, made up, or issued for another list is refused with a 400 before any of it reaches a
 * query; what is inside is still checked against the list's types (strict times, integer or text
 * ids), so a leaked key cannot smuggle a value the database would refuse either.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { isoToMillisForDatabase } from '../lib/event-time.ts'
import type { Ranked } from '../store/queries/impact.ts'
import type { Before } from '../store/queries/params.ts'
import { badRequest } from './errors.ts'

/** The lists that page with a cursor, each with the type of its row id. */
export const CursorLists = {
  trades: 'integer',
  articles: 'text',
  alerts: 'text',
  candles: 'none',
  sentiment: 'none',
  impact: 'text',
  impactByAbnormal: 'text'
} as const
export type CursorList = keyof typeof CursorLists

const EXPECTED = 'the nextCursor value of a previous page of the same list'
const MAC_BYTES = 16
const MAX_BIGINT = 9_223_372_036_854_775_807n
const MAX_TEXT_ID = 512
// Control characters, which no id of ours holds and PostgreSQL's text refuses (NUL).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

const notOurs = () => badRequest('cursor', EXPECTED, 'parameter "cursor" is not a cursor this API issued')
const wrongList = (list: CursorList) =>
  badRequest('cursor', EXPECTED, `parameter "cursor" is not a cursor of the ${list} list`)

/** A ranking value as the API sends it: a non-negative decimal. */
const isRank = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{1,20}(\.\d{1,20})?$/.test(value)

const isTime = (value: unknown): value is string =>
  typeof value === 'string' && isoToMillisForDatabase(value) !== undefined

function isId(list: CursorList, id: unknown): id is string {
  if (typeof id !== 'string') return false
  if (CursorLists[list] === 'integer') return /^\d{1,19}$/.test(id) && BigInt(id) <= MAX_BIGINT
  return id.length > 0 && id.length <= MAX_TEXT_ID && !CONTROL.test(id)
}

export class Cursors {
  readonly #key: Buffer

  /** `key`: the deployment's cursor key (API_CURSOR_KEY); without one, a random key per process. */
  constructor(key: string | undefined) {
    this.#key = key === undefined || key === '' ? randomBytes(32) : Buffer.from(key, 'utf8')
  }

  /** A cursor of a newest-first list: the (time, id) of the last row sent. */
  before(list: CursorList, position: Before): string {
    return this.#encode(list, position)
  }

  /** A cursor of a time series: the bucket of the last point sent. */
  after(list: CursorList, bucket: string): string {
    return this.#encode(list, bucket)
  }

  decodeBefore(list: CursorList, cursor: string | undefined): Before | undefined {
    if (cursor === undefined) return undefined
    const value = this.#decode(list, cursor)
    if (typeof value === 'object' && value !== null && 'time' in value && 'id' in value) {
      const { time, id } = value
      if (isTime(time) && isId(list, id)) return { time, id }
    }
    throw wrongList(list)
  }

  /** A cursor of a list ranked by a value, largest first: the (rank, id) of the last row sent. */
  ranked(list: CursorList, position: Ranked): string {
    return this.#encode(list, position)
  }

  decodeRanked(list: CursorList, cursor: string | undefined): Ranked | undefined {
    if (cursor === undefined) return undefined
    const value = this.#decode(list, cursor)
    if (typeof value === 'object' && value !== null && 'rank' in value && 'id' in value) {
      const { rank, id } = value
      if (isRank(rank) && isId(list, id)) return { rank, id }
    }
    throw wrongList(list)
  }

  decodeAfter(list: CursorList, cursor: string | undefined): string | undefined {
    if (cursor === undefined) return undefined
    const value = this.#decode(list, cursor)
    if (isTime(value)) return value
    throw wrongList(list)
  }

  #mac(list: CursorList, payload: string): Buffer {
    return createHmac('sha256', this.#key).update(`${list}\n${payload}`).digest().subarray(0, MAC_BYTES)
  }

  #encode(list: CursorList, position: unknown): string {
    const payload = Buffer.from(JSON.stringify(position)).toString('base64url')
    return `${payload}.${this.#mac(list, payload).toString('base64url')}`
  }

  #decode(list: CursorList, cursor: string): unknown {
    const [payload = '', mac = '', ...rest] = cursor.split('.')
    const given = Buffer.from(mac, 'base64url')
    if (rest.length > 0 || given.length !== MAC_BYTES || !timingSafeEqual(given, this.#mac(list, payload)))
      throw notOurs()
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    } catch {
      throw notOurs()
    }
  }
}
