/**
 * A Kraken WebSocket v2 client that stays connected the way mature clients do:
 * reconnect with exponential backoff and full jitter, a rolling connection-attempt budget,
 * an inbound-silence watchdog (heartbeats arrive about once a second, so silence means a dead path:
 * probe with a ping, then recycle), periodic application pings, ack timeouts, rejected
 * subscriptions surfaced as errors, per-stream staleness alarms ("subscribed but no data"), and
 * everything resubscribed after a reconnect. It hands data frames on; it does not interpret them.
 */
import type { Logger } from 'pino'
import WebSocket, { type RawData } from 'ws'
import { ErrorCodes, describeError } from '../../errors/errors.ts'
import { backoffDelay, sleep } from '../../lib/backoff.ts'
import { nowIsoMicros } from '../../lib/time.ts'
import type { ProducerMetrics } from '../producer-metrics.ts'
import { ConnectBudget } from './connect-budget.ts'
import { type DataChannel, type ServerFrame, readFrame } from './frames.ts'
import { type ChannelSpec, type Request, type Stream, Subscriptions } from './subscriptions.ts'
import { isObject } from './wire.ts'

export type DataFrame = Extract<ServerFrame, { kind: 'data' }>

export interface KrakenWsHandlers {
  onData(frame: DataFrame, receivedAt: string): void
  /** The socket is open and subscriptions are being (re)sent: local per-connection state is void. */
  onConnected?(): void
  onDisconnected?(reason: string): void
}

export interface KrakenWsOptions {
  url: string
  channels: readonly ChannelSpec[]
  symbols: readonly string[]
  log: Logger
  metrics: ProducerMetrics
  handlers: KrakenWsHandlers
  /** Inbound silence before the probe ping. */
  watchdogMs: number
  /** Wait for any frame after the probe before the connection is declared dead (default 5 s). */
  pongTimeoutMs?: number
  pingIntervalMs: number
  staleAfterMs: number
  /** Wait for a subscribe ack (default 5 s; three attempts). */
  ackTimeoutMs?: number
  backoff: { initialMs: number; maxMs: number }
  connectBudget: { attempts: number; windowMs: number }
  /** A connection open this long resets the backoff (default 30 s). */
  stableAfterMs?: number
}

export interface KrakenWsStatus {
  connected: boolean
  connections: number
  exchange: string
  lastFrameAgoMs: number | undefined
  subscribed: number
  pending: string[]
  rejected: string[]
  stale: string[]
  /** Why the last connection ended or failed to open ("getaddrinfo ENOTFOUND ws.kraken.com"). */
  lastError: string | undefined
  /** Attempts that failed to open in a row since the last successful one (0 while connected). */
  failedAttempts: number
}

const PING_REQ_BASE = 1_000_000_000
const ACK_ATTEMPTS = 3

const describeStream = (s: Stream): string => `${s.channel}:${s.symbol}${s.error ? ` (${s.error})` : ''}`

export class KrakenWsClient {
  readonly #o: KrakenWsOptions
  readonly #log: Logger
  readonly #subs: Subscriptions
  readonly #budget: ConnectBudget
  readonly #stop = new AbortController()
  #socket: WebSocket | undefined
  #loop: Promise<void> | undefined
  #ticker: NodeJS.Timeout | undefined
  #connections = 0
  #exchange = 'unknown'
  #lastFrameAt: number | undefined
  #probeSentAt: number | undefined
  #lastPingAt = 0
  #pings = new Map<number, number>()
  #nextPing = PING_REQ_BASE
  #closeReason: string | undefined
  #lastError: string | undefined
  #failedAttempts = 0

  constructor(options: KrakenWsOptions) {
    this.#o = options
    this.#log = options.log.child({ component: 'kraken-ws' })
    this.#subs = new Subscriptions(options.channels, options.symbols)
    this.#budget = new ConnectBudget(options.connectBudget.attempts, options.connectBudget.windowMs)
  }

  start(): void {
    this.#loop ??= this.#run()
    const tick = Math.max(20, Math.min(1_000, this.#o.watchdogMs / 4, this.#o.staleAfterMs / 4))
    this.#ticker = setInterval(() => this.#tick(), tick)
  }

  async stop(): Promise<void> {
    this.#stop.abort()
    clearInterval(this.#ticker)
    const socket = this.#socket
    socket?.close(1000, 'client stopping')
    // A silent peer never completes the close handshake (ws waits 30 s): do not let it hold shutdown.
    setTimeout(() => socket?.terminate(), 1_000).unref()
    await this.#loop
  }

  /** Fresh snapshot for one stream (a desynced book): unsubscribe + subscribe, never the whole socket. */
  resubscribe(channel: DataChannel, symbol: string): void {
    this.#send(this.#subs.resubscribe(channel, symbol, Date.now()))
  }

  status(): KrakenWsStatus {
    const streams = this.#subs.streams()
    return {
      connected: this.#socket?.readyState === WebSocket.OPEN,
      connections: this.#connections,
      exchange: this.#exchange,
      lastFrameAgoMs: this.#lastFrameAt === undefined ? undefined : Date.now() - this.#lastFrameAt,
      subscribed: streams.filter(s => s.state === 'subscribed').length,
      pending: streams.filter(s => s.state === 'pending').map(describeStream),
      rejected: streams.filter(s => s.state === 'rejected').map(describeStream),
      stale: streams.filter(s => s.alarms > 0).map(describeStream),
      lastError: this.#lastError,
      failedAttempts: this.#failedAttempts
    }
  }

  async #run(): Promise<void> {
    let attempt = 0
    const signal = this.#stop.signal
    while (!signal.aborted) {
      const wait = this.#budget.waitMs(Date.now())
      if (wait > 0) {
        this.#log.error(
          { code: ErrorCodes.KRAKEN_CONNECT_BUDGET, waitMs: wait, budget: this.#o.connectBudget },
          'connection-attempt budget spent; waiting for the window to slide'
        )
        await sleep(wait, signal).catch(() => undefined)
        continue
      }
      this.#budget.record(Date.now())
      const outcome = await this.#connectOnce()
      if (signal.aborted) break
      if (outcome.openMs >= (this.#o.stableAfterMs ?? 30_000)) attempt = 0
      attempt++
      const delay = outcome.code === 1008 ? this.#o.backoff.maxMs : backoffDelay(attempt, this.#o.backoff)
      this.#log.warn(
        { reason: outcome.reason, code: outcome.code, attempt, retryInMs: delay },
        'Kraken connection lost; reconnecting'
      )
      await sleep(delay, signal).catch(() => undefined)
    }
  }

  /** One connection, from dial to close. Resolves with why it ended and how long it was open. */
  #connectOnce(): Promise<{ reason: string; code: number; openMs: number }> {
    return new Promise(resolve => {
      const socket = new WebSocket(this.#o.url, { handshakeTimeout: 10_000, perMessageDeflate: false })
      this.#socket = socket
      this.#closeReason = undefined
      let openedAt: number | undefined
      let lastError: string | undefined
      socket.on('open', () => {
        openedAt = Date.now()
        this.#connections++
        this.#onOpen()
      })
      socket.on('message', (data: RawData) => this.#onMessage(data))
      socket.on('error', error => {
        lastError = describeError(error)
      })
      socket.on('close', (code, reasonBuffer) => {
        this.#socket = undefined
        this.#o.metrics.wsConnected.set(0)
        const reason =
          this.#closeReason ?? (reasonBuffer.toString() || lastError || `closed with code ${code}`)
        this.#lastError = reason
        if (openedAt === undefined) {
          this.#failedAttempts++
          this.#o.metrics.wsConnectAttempts.inc({ outcome: 'failed' })
        } else {
          this.#o.metrics.wsDisconnects.inc({
            reason: this.#closeReason === undefined ? `code_${code}` : (reason.split(':')[0] ?? 'closed')
          })
          this.#o.handlers.onDisconnected?.(reason)
        }
        resolve({ reason, code, openMs: openedAt === undefined ? 0 : Date.now() - openedAt })
      })
    })
  }

  #onOpen(): void {
    const now = Date.now()
    this.#failedAttempts = 0
    this.#o.metrics.wsConnectAttempts.inc({ outcome: 'ok' })
    this.#o.metrics.wsConnected.set(1)
    this.#lastFrameAt = now
    this.#probeSentAt = undefined
    this.#lastPingAt = now
    this.#pings.clear()
    this.#log.info({ url: this.#o.url, connection: this.#connections }, 'connected to Kraken; subscribing')
    this.#o.handlers.onConnected?.()
    this.#subs.reset()
    this.#send(this.#subs.subscribeIdle(now))
  }

  #onMessage(data: RawData): void {
    const now = Date.now()
    this.#lastFrameAt = now
    this.#probeSentAt = undefined
    const text = Array.isArray(data) ? Buffer.concat(data).toString() : data.toString()
    let frame: ServerFrame
    try {
      frame = readFrame(text)
    } catch (error) {
      this.#o.metrics.malformed.inc({ source: 'kraken-ws' })
      this.#log.warn(
        { code: ErrorCodes.MALFORMED_INPUT, err: describeError(error), frame: text.slice(0, 200) },
        'unreadable frame skipped'
      )
      return
    }
    this.#o.metrics.wsFrames.inc({ kind: frame.kind === 'data' ? frame.channel : frame.kind })
    switch (frame.kind) {
      case 'data':
        for (const element of frame.data) {
          if (isObject(element) && typeof element.symbol === 'string')
            this.#subs.onData(frame.channel, element.symbol.toUpperCase(), now)
        }
        this.#o.handlers.onData(frame, nowIsoMicros())
        return
      case 'ack':
        for (const stream of this.#subs.onAck(frame, now)) this.#rejected(stream)
        return
      case 'pong': {
        const sentAt = frame.reqId === undefined ? undefined : this.#pings.get(frame.reqId)
        if (sentAt !== undefined && frame.reqId !== undefined) {
          this.#pings.delete(frame.reqId)
          this.#o.metrics.wsPingRtt.set((now - sentAt) / 1000)
        }
        return
      }
      case 'status':
        if (frame.system !== this.#exchange) {
          const level = frame.system === 'online' ? 'info' : 'warn'
          this.#log[level](
            { system: frame.system, version: frame.version },
            `Kraken reports system=${frame.system}`
          )
        }
        this.#exchange = frame.system
        this.#o.metrics.exchangeOnline.set(frame.system === 'online' ? 1 : 0)
        return
      case 'rate-limit':
        this.#log.warn(
          { message: frame.message },
          'Kraken refused a request (rate limit); pending subscriptions will be retried'
        )
        return
      case 'heartbeat':
      case 'ignored':
        return
    }
  }

  #rejected(stream: Stream): void {
    this.#o.metrics.subscriptionRejections.inc({ channel: stream.channel })
    this.#log.error(
      {
        code: ErrorCodes.KRAKEN_SUBSCRIPTION_REJECTED,
        channel: stream.channel,
        symbol: stream.symbol,
        error: stream.error
      },
      'Kraken rejected a subscription; that stream stays off until the next reconnect'
    )
  }

  #tick(): void {
    const socket = this.#socket
    if (socket?.readyState !== WebSocket.OPEN) return
    const now = Date.now()
    const silentFor = now - (this.#lastFrameAt ?? now)
    if (this.#probeSentAt !== undefined && now - this.#probeSentAt > (this.#o.pongTimeoutMs ?? 5_000)) {
      this.#o.metrics.watchdogTimeouts.inc()
      this.#log.error(
        { code: ErrorCodes.KRAKEN_SILENT, silentForMs: silentFor },
        'no frame and no pong: connection is dead; recycling'
      )
      this.#recycle(socket, 'watchdog: inbound silence')
      return
    }
    if (this.#probeSentAt === undefined && silentFor > this.#o.watchdogMs) {
      this.#probeSentAt = now
      this.#ping(now)
    } else if (now - this.#lastPingAt > this.#o.pingIntervalMs) {
      this.#ping(now)
    }
    const { requests, failed } = this.#subs.retryOverdue(now, this.#o.ackTimeoutMs ?? 5_000, ACK_ATTEMPTS)
    this.#send(requests)
    for (const stream of failed) this.#rejected(stream)
    if (this.#exchange === 'online' || this.#exchange === 'unknown') this.#checkStaleness(socket, now)
  }

  #checkStaleness(socket: WebSocket, now: number): void {
    const stale = this.#subs.stale(now, this.#o.staleAfterMs)
    const live = this.#subs.streams().filter(s => s.state === 'subscribed')
    this.#o.metrics.staleStreams.set(this.#subs.streams().filter(s => s.alarms > 0).length)
    if (stale.length === 0) return
    // Every stream silent after a resubscribe while heartbeats flow: the connection itself is bad.
    if (stale.length === live.length && stale.every(s => s.alarms > 0)) {
      this.#log.error(
        { code: ErrorCodes.KRAKEN_STALE_STREAM, streams: stale.map(describeStream) },
        'every stream stale after resubscribing; recycling the connection'
      )
      this.#recycle(socket, 'stale: no data on any stream')
      return
    }
    for (const stream of stale) {
      stream.alarms++
      this.#o.metrics.staleAlarms.inc({ channel: stream.channel })
      this.#log.warn(
        {
          code: ErrorCodes.KRAKEN_STALE_STREAM,
          channel: stream.channel,
          symbol: stream.symbol,
          alarm: stream.alarms,
          staleAfterMs: this.#o.staleAfterMs
        },
        'subscribed but no data; resubscribing the stream'
      )
      this.resubscribe(stream.channel, stream.symbol)
    }
  }

  #ping(now: number): void {
    const reqId = this.#nextPing++
    this.#pings.set(reqId, now)
    this.#lastPingAt = now
    if (this.#pings.size > 16) this.#pings.delete(this.#pings.keys().next().value ?? reqId)
    this.#sendRaw(JSON.stringify({ method: 'ping', req_id: reqId }))
  }

  #recycle(socket: WebSocket, reason: string): void {
    this.#closeReason = reason
    socket.terminate()
  }

  #send(requests: readonly Request[]): void {
    for (const request of requests) this.#sendRaw(JSON.stringify(request))
  }

  #sendRaw(text: string): void {
    const socket = this.#socket
    if (socket?.readyState === WebSocket.OPEN) socket.send(text)
  }
}
