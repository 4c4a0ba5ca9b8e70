/**
 * One client connection to the fake Kraken: the v2 request/response protocol (subscribe with one
 * ack per symbol, rejections as `success:false`, "Already subscribed", unsubscribe echoing depth or
 * interval, ping → pong), snapshots after acks, and the per-connection fault states (total silence,
 * data muted while heartbeats continue).
 */
import { parse } from 'lossless-json'
import type { WebSocket } from 'ws'
import { ackFrame, bookFrame, nowRfc3339, ohlcFrame, tickerFrame, tradeFrame } from './frames-out.ts'
import { writeJson } from './lexeme-json.ts'
import type { MarketSource } from './market.ts'
import { type BookView, viewChecksum } from './sim-book.ts'

export interface Sub {
  channel: 'ticker' | 'trade' | 'book' | 'ohlc'
  symbol: string
  depth: number
  interval: number
  /** Fault "silent but heartbeating": acked, then no data (nautilus #4255). */
  muted: boolean
  lastView: BookView | undefined
}

export interface SessionHost {
  market: MarketSource
  /** Symbols the server refuses (fault switch), beyond those it does not list. */
  rejected: ReadonlySet<string>
  /** Consumes one "Exceeded msg rate" reply if that fault is armed. */
  takeWsRateLimit(): boolean
  inMaintenance(): boolean
  logRequest(method: string, params: Record<string, unknown>): void
  /** Returns and clears an armed checksum corruption for the symbol. */
  takeCorruption(symbol: string): boolean
}

const channels = new Set(['ticker', 'trade', 'book', 'ohlc'])
const depths = new Set([10, 25, 100, 500, 1000])
const intervals = new Set([1, 5, 15, 30, 60, 240, 1440, 10080, 21600])

type Obj = Record<string, unknown>

export class KrakenSession {
  readonly socket: WebSocket
  readonly subs = new Map<string, Sub>()
  /** Fault "go silent": nothing at all is sent any more (no heartbeats, no pongs). */
  silent = false
  lastSentAt = Date.now()
  readonly #host: SessionHost

  constructor(socket: WebSocket, host: SessionHost) {
    this.socket = socket
    this.#host = host
  }

  send(text: string): void {
    if (this.silent || this.socket.readyState !== this.socket.OPEN) return
    this.socket.send(text)
    this.lastSentAt = Date.now()
  }

  onMessage(text: string): void {
    const timeIn = nowRfc3339()
    let request: Obj
    try {
      request = parse(text, null, (lexeme: string) => lexeme) as Obj
    } catch {
      this.send(
        writeJson({
          error: 'Malformed request',
          method: 'error',
          success: false,
          time_in: timeIn,
          time_out: nowRfc3339()
        })
      )
      return
    }
    const method = typeof request.method === 'string' ? request.method : ''
    const reqId = typeof request.req_id === 'string' ? Number(request.req_id) : undefined
    const params = (
      typeof request.params === 'object' && request.params !== null ? request.params : {}
    ) as Obj
    this.#host.logRequest(method, params)
    if (method === 'ping') {
      this.send(
        writeJson({
          method: 'pong',
          ...(reqId === undefined ? {} : { req_id: reqId }),
          time_in: timeIn,
          time_out: nowRfc3339()
        })
      )
      return
    }
    if (method !== 'subscribe' && method !== 'unsubscribe') {
      this.send(
        writeJson({
          error: 'Method not found',
          method,
          success: false,
          time_in: timeIn,
          time_out: nowRfc3339()
        })
      )
      return
    }
    if (this.#host.takeWsRateLimit()) {
      this.send(writeJson({ Error: 'Exceeded msg rate' }))
      return
    }
    const channel = typeof params.channel === 'string' ? params.channel : ''
    if (!channels.has(channel)) {
      this.send(ackFrame({ method, reqId, timeIn, error: 'Subscription name invalid' }))
      return
    }
    const symbols = Array.isArray(params.symbol)
      ? params.symbol.filter((s): s is string => typeof s === 'string')
      : []
    const depth = Number(params.depth ?? 10)
    const interval = Number(params.interval ?? 1)
    if ((channel === 'book' && !depths.has(depth)) || (channel === 'ohlc' && !intervals.has(interval))) {
      this.send(
        ackFrame({ method, reqId, timeIn, error: `Invalid ${channel === 'book' ? 'depth' : 'interval'}` })
      )
      return
    }
    for (const symbol of symbols) {
      if (method === 'subscribe')
        this.#subscribe(channel as Sub['channel'], symbol, {
          depth,
          interval,
          reqId,
          timeIn,
          snapshot: params.snapshot
        })
      else this.#unsubscribe(channel as Sub['channel'], symbol, { depth, interval, reqId, timeIn })
    }
  }

  #subscribe(
    channel: Sub['channel'],
    symbol: string,
    o: { depth: number; interval: number; reqId: number | undefined; timeIn: string; snapshot: unknown }
  ): void {
    const key = `${channel}|${symbol}`
    if (!this.#host.market.symbols.includes(symbol) || this.#host.rejected.has(symbol)) {
      this.send(
        ackFrame({
          method: 'subscribe',
          reqId: o.reqId,
          timeIn: o.timeIn,
          error: `Currency pair not supported ${symbol}`,
          symbol
        })
      )
      return
    }
    if (this.subs.has(key)) {
      this.send(
        ackFrame({
          method: 'subscribe',
          reqId: o.reqId,
          timeIn: o.timeIn,
          error: 'Already subscribed',
          symbol
        })
      )
      return
    }
    // Kraken's trade snapshot defaults to false (newer docs); the others to true.
    const snapshot = o.snapshot === undefined ? channel !== 'trade' : o.snapshot === true
    const sub: Sub = {
      channel,
      symbol,
      depth: o.depth,
      interval: o.interval,
      muted: false,
      lastView: undefined
    }
    this.subs.set(key, sub)
    const result: Record<string, unknown> = { channel, snapshot, symbol }
    if (channel === 'book') result.depth = o.depth
    if (channel === 'ohlc') result.interval = o.interval
    this.send(ackFrame({ method: 'subscribe', reqId: o.reqId, timeIn: o.timeIn, result }))
    if (snapshot) this.#snapshot(sub)
  }

  #unsubscribe(
    channel: Sub['channel'],
    symbol: string,
    o: { depth: number; interval: number; reqId: number | undefined; timeIn: string }
  ): void {
    if (!this.subs.delete(`${channel}|${symbol}`)) {
      this.send(
        ackFrame({
          method: 'unsubscribe',
          reqId: o.reqId,
          timeIn: o.timeIn,
          error: 'Subscription Not Found',
          symbol
        })
      )
      return
    }
    const result: Record<string, unknown> = { channel, symbol }
    if (channel === 'book') result.depth = o.depth
    if (channel === 'ohlc') result.interval = o.interval
    this.send(ackFrame({ method: 'unsubscribe', reqId: o.reqId, timeIn: o.timeIn, result }))
  }

  #snapshot(sub: Sub): void {
    const market = this.#host.market
    switch (sub.channel) {
      case 'trade':
        this.send(tradeFrame(sub.symbol, 'snapshot', market.history.recent(sub.symbol, 50)))
        return
      case 'ticker': {
        const ticker = market.ticker(sub.symbol)
        if (ticker !== undefined) this.send(tickerFrame(sub.symbol, 'snapshot', ticker))
        return
      }
      case 'book': {
        const book = market.book(sub.symbol)
        if (book === undefined) return
        const view = book.view(Math.min(sub.depth, market.recordedBookDepth ?? sub.depth))
        sub.lastView = view
        const checksum = viewChecksum(view) + (this.#host.takeCorruption(sub.symbol) ? 1 : 0)
        this.send(bookFrame(sub.symbol, 'snapshot', view, checksum >>> 0, nowRfc3339()))
        return
      }
      case 'ohlc': {
        const candles = market.history.candles(
          sub.symbol,
          sub.interval * 60,
          market.precision(sub.symbol),
          Math.floor(Date.now() / 1000) - sub.interval * 600
        )
        this.send(ohlcFrame(sub.symbol, 'snapshot', sub.interval, candles.slice(-10)))
        return
      }
    }
  }
}
