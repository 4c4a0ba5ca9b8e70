/**
 * What a Kraken WebSocket v2 server frame is. Every v2 frame is a JSON object: method responses
 * carry `method` (subscribe, unsubscribe, pong), channel messages carry `channel` and `type`
 * (snapshot | update). A few shapes are irregular and handled here so the client never guesses:
 * rejections may lack `result` and put `symbol` at the top level, and the rate limiter answers
 * `{"Error":"Exceeded msg rate"}` with neither.
 */
import {
  type Json,
  type JsonObject,
  asObject,
  asString,
  isObject,
  malformed,
  optionalString,
  parseLossless
} from './wire.ts'

export type DataChannel = 'ticker' | 'trade' | 'book' | 'ohlc'

export type ServerFrame =
  | { kind: 'status'; system: string; version: string | undefined }
  | { kind: 'heartbeat' }
  | { kind: 'pong'; reqId: number | undefined }
  | {
      kind: 'ack'
      method: 'subscribe' | 'unsubscribe'
      success: boolean
      channel: string | undefined
      symbol: string | undefined
      reqId: number | undefined
      error: string | undefined
    }
  | { kind: 'rate-limit'; message: string }
  | { kind: 'data'; channel: DataChannel; type: 'snapshot' | 'update'; data: Json[] }
  /** Valid but of no interest here (instrument, unknown channels or methods): counted, not an error. */
  | { kind: 'ignored'; what: string }

const dataChannels = new Set<string>(['ticker', 'trade', 'book', 'ohlc'])

function reqIdOf(frame: JsonObject): number | undefined {
  const value = frame.req_id
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined
}

function readAck(frame: JsonObject, method: 'subscribe' | 'unsubscribe'): ServerFrame {
  const result = isObject(frame.result) ? frame.result : undefined
  return {
    kind: 'ack',
    method,
    // Absent or non-boolean `success` is a failure: never assume a subscription took.
    success: frame.success === true,
    channel: optionalString(result?.channel) ?? optionalString(frame.channel),
    symbol: optionalString(result?.symbol) ?? optionalString(frame.symbol),
    reqId: reqIdOf(frame),
    error: optionalString(frame.error)
  }
}

/** Classifies one text frame. Throws MALFORMED_INPUT for text that is not a v2 frame. */
export function readFrame(text: string): ServerFrame {
  const frame = asObject(parseLossless(text), 'frame')
  const method = optionalString(frame.method)
  if (method !== undefined) {
    if (method === 'subscribe' || method === 'unsubscribe') return readAck(frame, method)
    if (method === 'pong') return { kind: 'pong', reqId: reqIdOf(frame) }
    return { kind: 'ignored', what: `method ${method}` }
  }
  const channel = optionalString(frame.channel)
  if (channel === undefined) {
    const error = optionalString(frame.Error) ?? optionalString(frame.error)
    if (error !== undefined) return { kind: 'rate-limit', message: error }
    throw malformed('frame has neither method nor channel')
  }
  if (channel === 'heartbeat') return { kind: 'heartbeat' }
  if (channel === 'status') {
    const data = Array.isArray(frame.data) ? frame.data[0] : frame.data
    const status = asObject(data, 'status data')
    return {
      kind: 'status',
      system: asString(status.system, 'status.system'),
      version: optionalString(status.version)
    }
  }
  if (!dataChannels.has(channel)) return { kind: 'ignored', what: `channel ${channel}` }
  const type = asString(frame.type, `${channel}.type`)
  if (type !== 'snapshot' && type !== 'update') throw malformed(`${channel}: unknown type ${type}`)
  if (!Array.isArray(frame.data)) throw malformed(`${channel}: data is not an array`)
  return { kind: 'data', channel: channel as DataChannel, type, data: frame.data }
}
