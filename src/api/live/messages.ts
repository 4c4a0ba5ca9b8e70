/**
 * The live protocol's messages (JSON text frames). Client → server:
 *
 *   {"op":"subscribe","channels":["trades:BTC/USD","candles:BTC/USD:1m"],"id":1}
 *   {"op":"unsubscribe","channels":["trades:BTC/USD"],"id":2}
 *   {"op":"ping","id":3}
 *
 * Server → client: `welcome` once on connect; `subscribed`/`unsubscribed` acknowledging an op (with
 * the client's `id` and the full subscription list); `error` for a bad message or channel (a
 * subscribe with any bad channel subscribes to none); `event` for each live event; `pong`.
 */
export type ClientMessage =
  | { op: 'subscribe' | 'unsubscribe'; channels: string[]; id?: string | number }
  | { op: 'ping'; id?: string | number }

export type ErrorKind = 'bad_message' | 'bad_channel' | 'too_many_subscriptions'

export interface ProtocolError {
  type: 'error'
  error: ErrorKind
  message: string
  id?: string | number
  channel?: string
}

const MAX_CHANNELS_PER_MESSAGE = 100

function idOf(value: Record<string, unknown>): { id?: string | number } {
  const id = value.id
  return typeof id === 'string' || typeof id === 'number' ? { id } : {}
}

export function badMessage(message: string, id: { id?: string | number } = {}): ProtocolError {
  return { type: 'error', error: 'bad_message', message, ...id }
}

/** Reads one client frame; a ProtocolError says what was wrong with it. */
export function parseClientMessage(text: string): ClientMessage | ProtocolError {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return badMessage('a message is one JSON object, e.g. {"op":"subscribe","channels":["tickers"]}')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return badMessage('a message is one JSON object, e.g. {"op":"subscribe","channels":["tickers"]}')
  const record = value as Record<string, unknown>
  const id = idOf(record)
  if (record.op === 'ping') return { op: 'ping', ...id }
  if (record.op !== 'subscribe' && record.op !== 'unsubscribe')
    return badMessage('"op" must be one of subscribe, unsubscribe, ping', id)
  const channels = record.channels
  if (!Array.isArray(channels) || channels.length === 0 || channels.length > MAX_CHANNELS_PER_MESSAGE)
    return badMessage(`"channels" must be an array of 1 to ${MAX_CHANNELS_PER_MESSAGE} channel names`, id)
  if (!channels.every((c): c is string => typeof c === 'string'))
    return badMessage('"channels" must contain channel names (strings)', id)
  return { op: record.op, channels, ...id }
}
