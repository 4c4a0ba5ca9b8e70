/**
 * The live hub of one API instance: its WebSocket clients, what each subscribed to, and the fan-out of
 * live events to them. Every instance hears every event (the live-events port fans out through Redis),
 * so a client gets every event whichever instance it is connected to.
 *
 * A slow client never slows the others: an event is serialised once per channel, handed to each
 * subscriber's socket without waiting, and a client whose unsent queue exceeds `maxBufferedBytes` is
 * disconnected (close code 4001) instead of buffering without bound. Clients are pinged every
 * `pingIntervalMs`; one that has not answered the previous ping is dropped.
 */
import type { WebSocket } from 'ws'
import type { LiveEvent } from '../../live-events/live-events.ts'
import type { ApiMetrics } from '../metrics.ts'
import { channelForms, channelProblem, routesFor } from './channels.ts'
import { type ClientMessage, parseClientMessage } from './messages.ts'

export const CLOSE_SLOW = 4001
export const CLOSE_GOING_AWAY = 1001
const OPEN = 1

export interface LiveHubOptions {
  pingIntervalMs: number
  maxBufferedBytes: number
  maxSubscriptions: number
  metrics: ApiMetrics
}

interface Client {
  socket: WebSocket
  subscriptions: Set<string>
  alive: boolean
}

export class LiveHub {
  readonly #options: LiveHubOptions
  readonly #clients = new Set<Client>()
  readonly #byChannel = new Map<string, Set<Client>>()
  readonly #pinger: NodeJS.Timeout
  #closing = false

  constructor(options: LiveHubOptions) {
    this.#options = options
    this.#pinger = setInterval(() => this.#ping(), options.pingIntervalMs)
    this.#pinger.unref()
  }

  get clientCount(): number {
    return this.#clients.size
  }

  accept(socket: WebSocket): void {
    if (this.#closing) {
      socket.close(CLOSE_GOING_AWAY, 'server shutting down')
      return
    }
    const client: Client = { socket, subscriptions: new Set(), alive: true }
    this.#clients.add(client)
    this.#options.metrics.liveClients.set(this.#clients.size)
    socket.on('message', (data, isBinary) => {
      const reply = isBinary
        ? { type: 'error', error: 'bad_message', message: 'messages are JSON text frames' }
        : this.#handle(client, data.toString())
      this.#send(client, JSON.stringify(reply))
    })
    socket.on('pong', () => (client.alive = true))
    socket.on('close', () => this.#remove(client))
    socket.on('error', () => this.#remove(client))
    this.#send(
      client,
      JSON.stringify({
        type: 'welcome',
        protocol: 1,
        channels: channelForms,
        maxSubscriptions: this.#options.maxSubscriptions,
        pingIntervalMs: this.#options.pingIntervalMs
      })
    )
  }

  /** Delivers an event to every client subscribed to a channel it matches. */
  dispatch(event: LiveEvent): void {
    this.#options.metrics.liveEvents.inc({ channel: event.channel })
    let data: string | undefined
    for (const channel of routesFor(event)) {
      const subscribers = this.#byChannel.get(channel)
      if (subscribers === undefined || subscribers.size === 0) continue
      data ??= JSON.stringify(event.data) ?? 'null'
      const interval = event.interval === undefined ? '' : `,"interval":${JSON.stringify(event.interval)}`
      // Encoded once for all subscribers (ws would encode a string again for each of them).
      const message = Buffer.from(
        `{"type":"event","channel":${JSON.stringify(channel)},"key":${JSON.stringify(event.key)}${interval},` +
          `"storedAt":${JSON.stringify(event.storedAt)},"data":${data}}`
      )
      for (const client of subscribers) this.#send(client, message)
      this.#options.metrics.liveMessages.inc(subscribers.size)
    }
    if (data !== undefined) {
      const age = (Date.now() - Date.parse(event.storedAt)) / 1000
      if (Number.isFinite(age) && age >= 0) this.#options.metrics.liveDeliverySeconds.observe(age)
    }
  }

  /**
   * Graceful shutdown: tells every client (close 1001, "server shutting down"), waits up to `graceMs`
   * for the close handshakes, then cuts whoever is left.
   */
  async close(graceMs = 2_000): Promise<void> {
    this.#closing = true
    clearInterval(this.#pinger)
    const sockets = [...this.#clients].map(client => client.socket)
    const closed = sockets.map(
      socket =>
        new Promise<void>(resolve => {
          if (socket.readyState > OPEN) return resolve()
          socket.once('close', () => resolve())
          socket.close(CLOSE_GOING_AWAY, 'server shutting down')
        })
    )
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.all(closed),
      new Promise<void>(resolve => (timer = setTimeout(resolve, graceMs)))
    ])
    clearTimeout(timer)
    for (const socket of sockets) socket.terminate()
  }

  #handle(client: Client, text: string): object {
    const message = parseClientMessage(text)
    if ('type' in message) return message
    const id = message.id === undefined ? {} : { id: message.id }
    if (message.op === 'ping') return { type: 'pong', ...id }
    if (message.op === 'unsubscribe') {
      for (const channel of message.channels) this.#unsubscribe(client, channel)
      return {
        type: 'unsubscribed',
        ...id,
        channels: message.channels,
        subscriptions: [...client.subscriptions]
      }
    }
    return this.#subscribe(client, message, id)
  }

  #subscribe(client: Client, message: ClientMessage & { channels: string[] }, id: object): object {
    for (const channel of message.channels) {
      const problem = channelProblem(channel)
      if (problem !== undefined)
        return { type: 'error', error: 'bad_channel', message: problem, channel, ...id }
    }
    const after = new Set([...client.subscriptions, ...message.channels])
    if (after.size > this.#options.maxSubscriptions)
      return {
        type: 'error',
        error: 'too_many_subscriptions',
        message: `at most ${this.#options.maxSubscriptions} subscriptions per connection; unsubscribe first`,
        ...id
      }
    for (const channel of message.channels) {
      client.subscriptions.add(channel)
      let subscribers = this.#byChannel.get(channel)
      if (subscribers === undefined) {
        subscribers = new Set()
        this.#byChannel.set(channel, subscribers)
      }
      subscribers.add(client)
    }
    return { type: 'subscribed', ...id, channels: message.channels, subscriptions: [...client.subscriptions] }
  }

  #unsubscribe(client: Client, channel: string): void {
    client.subscriptions.delete(channel)
    const subscribers = this.#byChannel.get(channel)
    subscribers?.delete(client)
    if (subscribers?.size === 0) this.#byChannel.delete(channel)
  }

  #send(client: Client, message: string | Buffer): void {
    const { socket } = client
    if (socket.readyState !== OPEN) return
    if (socket.bufferedAmount > this.#options.maxBufferedBytes) {
      this.#drop(client, 'slow')
      return
    }
    socket.send(message, { binary: false })
  }

  #drop(client: Client, reason: 'slow' | 'unresponsive'): void {
    this.#options.metrics.liveDropped.inc({ reason })
    this.#remove(client)
    if (reason === 'slow') {
      client.socket.close(CLOSE_SLOW, 'too slow: unsent queue over the bound')
      // Its close frame waits behind the backlog: cut the connection if it does not go soon.
      setTimeout(() => client.socket.terminate(), 1_000).unref()
    } else {
      client.socket.terminate()
    }
  }

  #remove(client: Client): void {
    if (!this.#clients.delete(client)) return
    for (const channel of client.subscriptions) this.#unsubscribe(client, channel)
    this.#options.metrics.liveClients.set(this.#clients.size)
  }

  #ping(): void {
    for (const client of this.#clients) {
      if (!client.alive) {
        this.#drop(client, 'unresponsive')
        continue
      }
      client.alive = false
      client.socket.ping()
    }
  }
}
