/**
 * Building blocks shared by the message schemas. Money and quantities travel as exact decimal
 * strings (the exchange's own lexemes), never as binary floats; timestamps as RFC 3339 text at the
 * precision the source gave (Kraken: µs for trades, ns for candles), so nothing is rounded in transit.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { CryptoVizError, ErrorCodes } from '../errors/errors.ts'

export const Decimal = Type.String({
  pattern: '^-?\\d+(\\.\\d+)?$',
  description: 'exact decimal number as text, e.g. "83744.20000"'
})

export const Timestamp = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
  description: 'RFC 3339 time, precision as given by the source (µs or ns)'
})

export const MarketSymbol = Type.String({
  pattern: '^[A-Z0-9]{1,16}/[A-Z0-9]{1,16}$',
  description: 'Kraken WebSocket v2 pair, e.g. "BTC/USD"'
})

export interface Codec<S extends TSchema> {
  readonly schema: S
  readonly type: string
  readonly version: number
  /** Validates, then serialises to JSON text. Throws SCHEMA_INVALID on a bad message. */
  encode(message: Static<S>): string
  /** Parses and validates a record's value. Throws SCHEMA_INVALID (a dead-letter error) on bad input. */
  decode(raw: Buffer | string): Static<S>
  is(value: unknown): value is Static<S>
}

function firstError(checker: ReturnType<typeof TypeCompiler.Compile>, value: unknown): string {
  const error = checker.Errors(value).First()
  if (error === undefined) return 'invalid'
  return `${error.path || '/'}: ${error.message}${error.path ? ` (got ${JSON.stringify(error.value)?.slice(0, 60)})` : ''}`
}

export function codec<S extends TSchema>(type: string, version: number, schema: S): Codec<S> {
  const checker = TypeCompiler.Compile(schema)
  const invalid = (reason: string, cause?: unknown): CryptoVizError =>
    new CryptoVizError(ErrorCodes.SCHEMA_INVALID, `${type} v${version}: ${reason}`, {
      deadLetter: true,
      cause
    })
  return {
    schema,
    type,
    version,
    encode(message) {
      if (!checker.Check(message)) throw invalid(firstError(checker, message))
      return JSON.stringify(message)
    },
    decode(raw) {
      let value: unknown
      try {
        value = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'))
      } catch (error) {
        throw invalid(`not JSON (${(error as Error).message})`, error)
      }
      if (!checker.Check(value)) throw invalid(firstError(checker, value))
      return value
    },
    is: (value): value is Static<S> => checker.Check(value)
  }
}

/** Header fields every message carries: schema version and type, so readers can dispatch. */
export function envelope<const T extends string>(type: T, version: number) {
  return {
    v: Type.Literal(version, { description: 'schema version' }),
    type: Type.Literal(type)
  }
}
