/**
 * Reading Kraken's JSON without losing digits. Kraken sends prices and quantities as JSON numbers
 * whose lexemes carry the instrument's precision (`0.10000000`); `JSON.parse` turns that into 0.1,
 * which breaks the book checksum and our "exact decimal strings" rule. Here every number is kept
 * as its source text, and the helpers below read typed fields out of that tree or say what is wrong.
 */
import { parse } from 'lossless-json'
import { CryptoVizError, ErrorCodes } from '../../errors/errors.ts'

export type Json = string | boolean | null | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

export function malformed(what: string, cause?: unknown): CryptoVizError {
  return new CryptoVizError(ErrorCodes.MALFORMED_INPUT, what, { cause })
}

/** Parses JSON text; numbers come back as their exact lexemes (strings). */
export function parseLossless(text: string): Json {
  try {
    return parse(text, null, (lexeme: string) => lexeme) as Json
  } catch (error) {
    throw malformed(`not JSON: ${(error as Error).message}`, error)
  }
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function asObject(value: Json | undefined, what: string): JsonObject {
  if (!isObject(value)) throw malformed(`${what}: expected an object`)
  return value
}

export function asArray(value: Json | undefined, what: string): Json[] {
  if (!Array.isArray(value)) throw malformed(`${what}: expected an array`)
  return value
}

export function asString(value: Json | undefined, what: string): string {
  if (typeof value !== 'string') throw malformed(`${what}: expected text, got ${JSON.stringify(value)}`)
  return value
}

export function optionalString(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** A non-negative safe integer (trade ids, counts, intervals). */
export function asInteger(value: Json | undefined, what: string): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw malformed(`${what}: expected an integer, got ${JSON.stringify(value)}`)
  }
  const number = Number(value)
  if (!Number.isSafeInteger(number)) throw malformed(`${what}: ${value} is beyond 2^53`)
  return number
}

const plainDecimal = /^-?\d+(\.\d+)?$/
const scientific = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/

/**
 * A wire number as an exact decimal string. Plain lexemes pass unchanged (trailing zeros kept);
 * exponent forms (`5.1e-05`, which Kraken's SDK warns about) are rewritten in fixed notation by
 * moving the decimal point in the digit string, never through a binary float.
 */
export function toDecimal(lexeme: string): string {
  if (plainDecimal.test(lexeme)) return lexeme
  const match = scientific.exec(lexeme)
  if (match === null) throw malformed(`not a decimal number: ${JSON.stringify(lexeme)}`)
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match
  const digits = whole + fraction
  const point = whole.length + Number(exponentText)
  let result: string
  if (point <= 0) result = `0.${'0'.repeat(-point)}${digits}`
  else if (point >= digits.length) result = digits + '0'.repeat(point - digits.length)
  else result = `${digits.slice(0, point)}.${digits.slice(point)}`
  result = result.replace(/^0+(?=\d)/, '')
  return `${sign}${result}`
}

export function asDecimal(value: Json | undefined, what: string): string {
  if (typeof value !== 'string') throw malformed(`${what}: expected a number, got ${JSON.stringify(value)}`)
  try {
    return toDecimal(value)
  } catch (error) {
    throw malformed(`${what}: ${(error as Error).message}`, error)
  }
}

/**
 * Epoch seconds as Kraken REST writes them (`1762795433.9717445`, up to 100 ns) to RFC 3339,
 * keeping every fractional digit that was sent.
 */
export function epochSecondsToRfc3339(lexeme: string): string {
  const match = /^(\d+)(?:\.(\d{1,9}))?$/.exec(lexeme)
  if (match === null) throw malformed(`not an epoch time in seconds: ${JSON.stringify(lexeme)}`)
  const [, seconds = '0', fraction] = match
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19)
  return fraction === undefined ? `${base}Z` : `${base}.${fraction}Z`
}

/** RFC 3339 text (any fractional precision, Z or offset) to epoch nanoseconds, exactly. */
export function rfc3339ToNanos(timestamp: string): bigint {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(timestamp)
  if (match === null) throw malformed(`not an RFC 3339 time: ${JSON.stringify(timestamp)}`)
  const [, whole = '', fraction = '', zone = 'Z'] = match
  const millis = Date.parse(`${whole}${zone}`)
  if (Number.isNaN(millis)) throw malformed(`not a valid time: ${JSON.stringify(timestamp)}`)
  return BigInt(millis) * 1_000_000n + BigInt(fraction.padEnd(9, '0'))
}
