/**
 * A consumed record → a typed message, or the reason it cannot be used. Two gates: the schema codec
 * (shape, SCHEMA_INVALID) and the checks a schema cannot express (RECORD_REJECTED): positive price
 * and quantity, dates that exist, a key that is the record's symbol or id (otherwise per-key order
 * and per-symbol state would not hold), an exchange time not far ahead of the receive time.
 */
import type { ConsumedRecord } from '../bus/bus.ts'
import { CryptoVizError, ErrorCodes, isCryptoVizError } from '../errors/errors.ts'
import { isoToMicros } from '../lib/event-time.ts'
import type { AlertV1 } from '../schemas/alert.v1.ts'
import type { ArticleV1 } from '../schemas/article.v1.ts'
import type { BookV1 } from '../schemas/book.v1.ts'
import { codecByTopic } from '../schemas/index.ts'
import type { OhlcV1 } from '../schemas/ohlc.v1.ts'
import type { TickerV1 } from '../schemas/ticker.v1.ts'
import type { TradeV1 } from '../schemas/trade.v1.ts'
import { TopicNames } from '../schemas/topics.ts'
import type { RecordKind } from './job-topics.ts'

/** The message type each kind of record decodes to. */
interface DecodedValues {
  trade: TradeV1
  ticker: TickerV1
  article: ArticleV1
  alert: AlertV1
  ohlc: OhlcV1
  book: BookV1
}

type DecodedAs<K extends RecordKind> = {
  kind: K
  value: DecodedValues[K]
  record: ConsumedRecord
  /** A trade's exchange time in µs, as its check read it (so a reader need not parse it again). */
  eventMicros?: number
}

/** One `DecodedAs` per kind in K: for every kind, the union a switch on `kind` narrows. */
type DecodedOneOf<K extends RecordKind> = { [P in K]: DecodedAs<P> }[K]

export type Decoded = DecodedOneOf<RecordKind>

export interface Rejected {
  kind: 'rejected'
  record: ConsumedRecord
  error: CryptoVizError
}

/** Exchange time may run ahead of our receive time by clock skew, not by more. */
const MAX_CLOCK_SKEW_MICROS = 3_600_000_000

const codecs: { [K in RecordKind]: { decode(raw: Buffer | string): DecodedValues[K] } } = {
  trade: codecByTopic[TopicNames.trade],
  ticker: codecByTopic[TopicNames.ticker],
  article: codecByTopic[TopicNames.article],
  alert: codecByTopic[TopicNames.alert],
  ohlc: codecByTopic[TopicNames.ohlc],
  book: codecByTopic[TopicNames.book]
}

function reject(reason: string): never {
  throw new CryptoVizError(ErrorCodes.RECORD_REJECTED, reason, { deadLetter: true })
}

function times(...values: [name: string, value: string | null][]): undefined {
  for (const [name, value] of values) if (value !== null) micros(name, value)
  return undefined
}

/** The time's microseconds; a time that cannot exist (February 30th) rejects the record. */
function micros(name: string, value: string): number {
  const parsed = isoToMicros(value)
  if (parsed === undefined) reject(`${name}: no such time ${JSON.stringify(value)}`)
  return parsed
}

function keyIs(record: ConsumedRecord, expected: string, what: string): void {
  if (record.key !== expected) {
    reject(
      `key ${JSON.stringify(record.key ?? null)} is not the record's ${what} ${JSON.stringify(expected)}`
    )
  }
}

/** On a schema-valid decimal lexeme: positive means no sign and some non-zero digit (no BigInt needed). */
function positive(name: string, value: string): void {
  if (value.startsWith('-') || !/[1-9]/.test(value)) reject(`${name} must be positive, got ${value}`)
}

/** Returns the exchange time in µs. */
function checkTrade(t: TradeV1, record: ConsumedRecord): number {
  keyIs(record, t.symbol, 'symbol')
  positive('price', t.price)
  positive('qty', t.qty)
  // Each time read once: this runs for every trade.
  const exchange = micros('exchangeTs', t.exchangeTs)
  if (exchange - micros('receivedAt', t.receivedAt) > MAX_CLOCK_SKEW_MICROS)
    reject(`exchangeTs ${t.exchangeTs} is more than 1 h after receivedAt ${t.receivedAt}`)
  return exchange
}

/**
 * Every kind is keyed by one of its own fields and carries times that must exist; trades need more
 * (and their check returns the exchange time it read).
 */
const checks: {
  [K in RecordKind]: (value: DecodedValues[K], record: ConsumedRecord) => number | undefined
} = {
  trade: checkTrade,
  ticker: (value, record) => {
    keyIs(record, value.symbol, 'symbol')
    return times(['exchangeTs', value.exchangeTs], ['receivedAt', value.receivedAt])
  },
  article: (value, record) => {
    keyIs(record, value.id, 'id')
    return times(['publishedAt', value.publishedAt], ['fetchedAt', value.fetchedAt])
  },
  alert: (value, record) => {
    keyIs(record, value.symbol, 'symbol')
    return times(['eventTs', value.eventTs], ['raisedAt', value.raisedAt])
  },
  ohlc: (value, record) => {
    keyIs(record, value.symbol, 'symbol')
    return times(['intervalBegin', value.intervalBegin], ['receivedAt', value.receivedAt])
  },
  book: (value, record) => {
    keyIs(record, value.symbol, 'symbol')
    return times(['exchangeTs', value.exchangeTs], ['receivedAt', value.receivedAt])
  }
}

// Typed per kind so that codecs[kind] and checks[kind] agree; called with a run-time kind it gives `Decoded`.
function decodeAs<K extends RecordKind>(kind: K, record: ConsumedRecord): DecodedOneOf<K> {
  const value = codecs[kind].decode(record.value)
  const eventMicros = checks[kind](value, record)
  return eventMicros === undefined ? { kind, value, record } : { kind, value, record, eventMicros }
}

export function decodeRecord(kind: RecordKind, record: ConsumedRecord): Decoded | Rejected {
  try {
    return decodeAs(kind, record)
  } catch (error) {
    if (isCryptoVizError(error) && error.deadLetter) return { kind: 'rejected', record, error }
    return {
      kind: 'rejected',
      record,
      error: new CryptoVizError(ErrorCodes.RECORD_REJECTED, `unreadable record: ${String(error)}`, {
        deadLetter: true,
        cause: error
      })
    }
  }
}

export type DecodedGroups = { [K in RecordKind]: DecodedValues[K][] }

function addTo<K extends RecordKind>(groups: DecodedGroups, decoded: DecodedAs<K>): void {
  groups[decoded.kind].push(decoded.value)
}

/** The values of decoded records, by kind, in batch order. */
export function groupDecoded(records: readonly Decoded[]): DecodedGroups {
  const groups: DecodedGroups = { trade: [], ticker: [], article: [], alert: [], ohlc: [], book: [] }
  for (const r of records) addTo(groups, r)
  return groups
}
