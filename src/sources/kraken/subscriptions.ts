/**
 * What the client asked Kraken for and what it got, per stream (channel × symbol). Kraken answers a
 * subscribe with one ack per symbol; a rejection is only an ack with `success:false` (the socket
 * stays open), and an accepted stream can still deliver nothing. So each stream is tracked from
 * request to ack to data: pending streams time out, rejected ones are reported, and subscribed
 * ones that go quiet are flagged stale. Pure state: the connection decides what to send.
 */
import type { DataChannel } from './frames.ts'

export interface ChannelSpec {
  channel: DataChannel
  /** Extra subscribe params Kraken keys the stream by (book depth, ohlc interval) or needs (snapshot). */
  params: Record<string, string | number | boolean>
}

export interface Request {
  method: 'subscribe' | 'unsubscribe'
  params: Record<string, string | number | boolean | string[]>
  req_id: number
}

export type StreamState = 'idle' | 'pending' | 'subscribed' | 'rejected'

export interface Stream {
  readonly channel: DataChannel
  readonly symbol: string
  state: StreamState
  /** When the current state began (request sent, ack received). */
  since: number
  lastDataAt: number | undefined
  attempts: number
  error: string | undefined
  /** Staleness alarms raised since the last data; 0 when healthy. */
  alarms: number
}

/** Params that identify a stream in unsubscribe requests (Kraken wants them echoed). */
const keyingParams = new Set(['depth', 'interval'])

export class Subscriptions {
  readonly #specs: readonly ChannelSpec[]
  readonly #streams = new Map<string, Stream>()
  readonly #requests = new Map<number, DataChannel>()
  #nextReqId = 1

  constructor(specs: readonly ChannelSpec[], symbols: readonly string[]) {
    this.#specs = specs
    for (const { channel } of specs) {
      for (const symbol of symbols) {
        this.#streams.set(key(channel, symbol), {
          channel,
          symbol,
          state: 'idle',
          since: 0,
          lastDataAt: undefined,
          attempts: 0,
          error: undefined,
          alarms: 0
        })
      }
    }
  }

  streams(): Stream[] {
    return [...this.#streams.values()]
  }

  get(channel: DataChannel, symbol: string): Stream | undefined {
    return this.#streams.get(key(channel, symbol))
  }

  /** A new connection: nothing is subscribed any more, rejections included (they are retried). */
  reset(): void {
    for (const stream of this.#streams.values()) {
      Object.assign(stream, { state: 'idle', since: 0, attempts: 0, error: undefined, alarms: 0 })
    }
    this.#requests.clear()
  }

  /** One subscribe per channel for its idle streams (batched: Kraken rate-limits request bursts). */
  subscribeIdle(now: number): Request[] {
    return this.#specs.flatMap(spec => {
      const idle = this.streams().filter(s => s.channel === spec.channel && s.state === 'idle')
      return idle.length === 0 ? [] : [this.#subscribe(spec, idle, now)]
    })
  }

  /** Unsubscribe then subscribe one stream: a fresh snapshot for a desynced book or a quiet stream. */
  resubscribe(channel: DataChannel, symbol: string, now: number): Request[] {
    const spec = this.#specs.find(s => s.channel === channel)
    const stream = this.get(channel, symbol)
    if (spec === undefined || stream === undefined) return []
    const keying = Object.fromEntries(Object.entries(spec.params).filter(([name]) => keyingParams.has(name)))
    const unsubscribe: Request = {
      method: 'unsubscribe',
      params: { channel, symbol: [symbol], ...keying },
      req_id: this.#nextReqId++
    }
    stream.attempts = 0
    return [unsubscribe, this.#subscribe(spec, [stream], now)]
  }

  /** Pending streams whose ack did not come within `timeoutMs`. */
  overdue(now: number, timeoutMs: number): Stream[] {
    return this.streams().filter(s => s.state === 'pending' && now - s.since > timeoutMs)
  }

  /** Re-sends subscribes for overdue streams, or gives up on them after `maxAttempts`. */
  retryOverdue(
    now: number,
    timeoutMs: number,
    maxAttempts: number
  ): { requests: Request[]; failed: Stream[] } {
    const failed: Stream[] = []
    const requests: Request[] = []
    for (const spec of this.#specs) {
      const overdue = this.overdue(now, timeoutMs).filter(s => s.channel === spec.channel)
      const retry = overdue.filter(s => s.attempts < maxAttempts)
      for (const stream of overdue.filter(s => s.attempts >= maxAttempts)) {
        Object.assign(stream, {
          state: 'rejected',
          since: now,
          error: `no acknowledgement after ${maxAttempts} attempts`
        })
        failed.push(stream)
      }
      if (retry.length > 0) requests.push(this.#subscribe(spec, retry, now))
    }
    return { requests, failed }
  }

  /**
   * Applies an ack. Returns the streams it rejected. "Already subscribed" is a success: the stream
   * exists on this connection, which is all we wanted.
   */
  onAck(
    ack: {
      method: string
      success: boolean
      channel: string | undefined
      symbol: string | undefined
      reqId: number | undefined
      error: string | undefined
    },
    now: number
  ): Stream[] {
    if (ack.method !== 'subscribe') return []
    const channel = (ack.channel ?? (ack.reqId === undefined ? undefined : this.#requests.get(ack.reqId))) as
      DataChannel | undefined
    const symbols =
      ack.symbol !== undefined
        ? [ack.symbol.toUpperCase()]
        : this.streams()
            .filter(s => s.channel === channel && s.state === 'pending')
            .map(s => s.symbol)
    const touched = symbols
      .map(symbol => (channel === undefined ? undefined : this.get(channel, symbol)))
      .filter((s): s is Stream => s !== undefined)
    const accepted = ack.success || /already subscribed/i.test(ack.error ?? '')
    for (const stream of touched) {
      if (accepted) Object.assign(stream, { state: 'subscribed', since: now, error: undefined })
      else
        Object.assign(stream, {
          state: 'rejected',
          since: now,
          error: ack.error ?? 'rejected without a reason'
        })
    }
    return accepted ? [] : touched
  }

  onData(channel: DataChannel, symbol: string, now: number): void {
    const stream = this.get(channel, symbol)
    if (stream === undefined) return
    stream.lastDataAt = now
    stream.alarms = 0
  }

  /** Subscribed streams with no data for `staleAfterMs` (counted from the later of ack and last data). */
  stale(now: number, staleAfterMs: number): Stream[] {
    return this.streams().filter(
      s => s.state === 'subscribed' && now - Math.max(s.since, s.lastDataAt ?? 0) > staleAfterMs
    )
  }

  #subscribe(spec: ChannelSpec, streams: Stream[], now: number): Request {
    const reqId = this.#nextReqId++
    this.#requests.set(reqId, spec.channel)
    for (const stream of streams) {
      stream.state = 'pending'
      stream.since = now
      stream.attempts++
    }
    return {
      method: 'subscribe',
      params: { channel: spec.channel, symbol: streams.map(s => s.symbol), ...spec.params },
      req_id: reqId
    }
  }
}

function key(channel: string, symbol: string): string {
  return `${channel}|${symbol}`
}
