/**
 * The live-events port: writers (ingest, analytics) announce what they just stored, after the commit,
 * and every API instance hears it and pushes it to its WebSocket clients. Fan-out goes through Redis
 * pub/sub (redis-live-events.ts) so that several API instances all deliver every event; the embedded
 * mode uses the in-memory implementation (memory-live-events.ts).
 *
 * Delivery is best-effort by design: the data is already durable in the database, and a client that
 * reconnects re-reads it through the REST API. A publish that fails is counted and logged, never
 * retried into a backlog.
 */
export const LiveChannels = [
  'trades',
  'tickers',
  'candles',
  'indicators',
  'articles',
  'sentiment',
  'impact',
  'alerts',
  'pipeline'
] as const
export type LiveChannel = (typeof LiveChannels)[number]

export interface LiveEvent {
  channel: LiveChannel
  /** What the event is about: a symbol ("BTC/USD"), a coin code, an article id, or "*". */
  key: string
  /** For candles and indicators: "1m", "5m", …; absent otherwise. */
  interval?: string
  /** The stored row(s), in the API's JSON shape. */
  data: unknown
  /** When the writer committed, ISO 8601 (to measure store-to-screen latency). */
  storedAt: string
}

export type LiveHandler = (event: LiveEvent) => void

export interface LiveEvents {
  publish(events: readonly LiveEvent[]): Promise<void>
  /** Receives every event published from now on, by any process; resolves once listening. */
  subscribe(handler: LiveHandler): Promise<{ close(): Promise<void> }>
  close(): Promise<void>
}
