/**
 * The live WebSocket (/api/stream) as the dashboard uses it: one connection shared by every view,
 * channels reference-counted (a channel is subscribed while at least one handler wants it), and a
 * connection that heals itself: exponential backoff with jitter between attempts, every channel
 * resubscribed on reconnect, a watchdog that replaces a connection gone silent, and an immediate
 * attempt when the browser comes back online or the tab becomes visible.
 *
 * State for the header: `live` (open), `reconnecting` (lost, trying again), `offline` (several
 * attempts failed or the browser is offline; still trying). `reconnected` tells the views to re-read
 * what they missed through REST: live delivery is best-effort by design.
 */
import { type BackoffOptions, backoffDelay } from '../../lib/backoff.ts'
import { Emitter } from '../lib/emitter.ts'
import type { LiveEvent } from './types.ts'

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline'
export type LiveHandler = (event: LiveEvent) => void

const PING_EVERY_MS = 15_000
/** A connection that has received nothing (events, pongs) for this long is replaced. */
const SILENCE_LIMIT_MS = 25_000
const OFFLINE_AFTER_ATTEMPTS = 3
/** A fleet of dashboards that lost the API together comes back spread out, never sooner than 250 ms. */
const RECONNECT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 15_000, floorMs: 250 }
const MAX_CHANNELS_PER_MESSAGE = 100

export interface LiveSocketEvents extends Record<string, unknown> {
  state: ConnectionState
  event: LiveEvent
  reconnected: undefined
}

export class LiveSocket extends Emitter<LiveSocketEvents> {
  readonly #url: string
  readonly #handlers = new Map<string, Set<LiveHandler>>()
  #socket: WebSocket | undefined
  #state: ConnectionState = 'connecting'
  #attempt = 0
  #everOpened = false
  #retryTimer: number | undefined
  #retryAt: number | undefined
  #watchdog: number | undefined
  #lastMessageAt = 0
  #lastEventAt: number | undefined
  #pending = { subscribe: new Set<string>(), unsubscribe: new Set<string>() }
  #flushQueued = false
  #stopped = false

  constructor(url: string) {
    super()
    this.#url = url
  }

  get state(): ConnectionState {
    return this.#state
  }

  /** When the last live event arrived (ms), for the freshness indicator. */
  get lastEventAt(): number | undefined {
    return this.#lastEventAt
  }

  /** When the next connection attempt is due, while reconnecting. */
  get retryAt(): number | undefined {
    return this.#retryAt
  }

  get channels(): string[] {
    return [...this.#handlers.keys()]
  }

  start(): void {
    this.#stopped = false
    addEventListener('online', this.#wake)
    addEventListener('offline', this.#wentOffline)
    document.addEventListener('visibilitychange', this.#wake)
    this.#watchdog = window.setInterval(() => this.#checkSilence(), PING_EVERY_MS)
    this.#connect()
  }

  stop(): void {
    this.#stopped = true
    removeEventListener('online', this.#wake)
    removeEventListener('offline', this.#wentOffline)
    document.removeEventListener('visibilitychange', this.#wake)
    clearInterval(this.#watchdog)
    clearTimeout(this.#retryTimer)
    this.#socket?.close(1000, 'page closed')
  }

  subscribe(channel: string, handler: LiveHandler): () => void {
    let set = this.#handlers.get(channel)
    if (set === undefined) {
      set = new Set()
      this.#handlers.set(channel, set)
      this.#pending.unsubscribe.delete(channel)
      this.#pending.subscribe.add(channel)
      this.#queueFlush()
    }
    set.add(handler)
    return () => {
      const handlers = this.#handlers.get(channel)
      if (handlers === undefined || !handlers.delete(handler) || handlers.size > 0) return
      this.#handlers.delete(channel)
      if (!this.#pending.subscribe.delete(channel)) this.#pending.unsubscribe.add(channel)
      this.#queueFlush()
    }
  }

  /** Drops the connection and connects again at once (the user asked, or the watchdog did). */
  reconnectNow(): void {
    clearTimeout(this.#retryTimer)
    this.#retryAt = undefined
    const socket = this.#socket
    // Forget the old socket first, so that its close event does not schedule a delayed retry.
    this.#socket = undefined
    if (socket !== undefined && socket.readyState <= WebSocket.OPEN) socket.close(4000, 'reconnect')
    this.#connect()
  }

  readonly #wake = (): void => {
    if (document.visibilityState === 'hidden' || this.#stopped) return
    if (this.#state === 'reconnecting' || this.#state === 'offline') this.reconnectNow()
  }

  readonly #wentOffline = (): void => this.#setState('offline')

  #connect(): void {
    if (this.#stopped) return
    this.#retryAt = undefined
    const socket = new WebSocket(this.#url)
    this.#socket = socket
    socket.addEventListener('open', () => {
      if (socket !== this.#socket) return
      this.#lastMessageAt = Date.now()
      this.#attempt = 0
      this.#pending.subscribe.clear()
      this.#pending.unsubscribe.clear()
      this.#send('subscribe', [...this.#handlers.keys()])
      this.#setState('live')
      if (this.#everOpened) this.emit('reconnected', undefined)
      this.#everOpened = true
    })
    socket.addEventListener('message', message => {
      if (socket !== this.#socket) return
      this.#lastMessageAt = Date.now()
      this.#receive(String(message.data))
    })
    socket.addEventListener('close', () => {
      if (socket !== this.#socket) return
      this.#socket = undefined
      this.#scheduleRetry()
    })
  }

  #scheduleRetry(): void {
    if (this.#stopped) return
    const delay = backoffDelay(this.#attempt + 1, RECONNECT_BACKOFF)
    this.#attempt++
    this.#retryAt = Date.now() + delay
    const offline = this.#attempt >= OFFLINE_AFTER_ATTEMPTS || !navigator.onLine
    this.#setState(offline ? 'offline' : 'reconnecting')
    clearTimeout(this.#retryTimer)
    this.#retryTimer = window.setTimeout(() => this.#connect(), delay)
  }

  #receive(text: string): void {
    let message: { type?: unknown; channel?: unknown; error?: unknown; message?: unknown }
    try {
      message = JSON.parse(text) as typeof message
    } catch {
      return
    }
    if (message.type === 'event' && typeof message.channel === 'string') {
      const event = message as LiveEvent
      this.#lastEventAt = Date.now()
      for (const handler of this.#handlers.get(event.channel) ?? []) handler(event)
      this.emit('event', event)
    } else if (message.type === 'error') {
      console.warn('live stream refused a request:', message.error, message.message)
    }
  }

  #checkSilence(): void {
    const socket = this.#socket
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) return
    if (Date.now() - this.#lastMessageAt > SILENCE_LIMIT_MS) {
      this.reconnectNow()
      return
    }
    socket.send(JSON.stringify({ op: 'ping' }))
  }

  #queueFlush(): void {
    if (this.#flushQueued) return
    this.#flushQueued = true
    queueMicrotask(() => {
      this.#flushQueued = false
      if (this.#socket?.readyState !== WebSocket.OPEN) return
      this.#send('unsubscribe', [...this.#pending.unsubscribe])
      this.#send('subscribe', [...this.#pending.subscribe])
      this.#pending.subscribe.clear()
      this.#pending.unsubscribe.clear()
    })
  }

  #send(op: 'subscribe' | 'unsubscribe', channels: string[]): void {
    for (let i = 0; i < channels.length; i += MAX_CHANNELS_PER_MESSAGE)
      this.#socket?.send(JSON.stringify({ op, channels: channels.slice(i, i + MAX_CHANNELS_PER_MESSAGE) }))
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return
    this.#state = state
    this.emit('state', state)
  }
}
