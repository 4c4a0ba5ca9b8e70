/**
 * Live events over Redis pub/sub: one Redis channel per live channel (`<prefix>:live:<channel>`, the
 * prefix being REDIS_KEY_PREFIX, `cryptoviz` by default),
 * JSON messages, a batch of events sent as one message per channel. A subscriber holds its own
 * connection (Redis requires it) and resubscribes by itself after Redis restarts.
 */
import { Redis } from 'ioredis'
import { describeError } from '../errors/errors.ts'
import type { Logger } from '../log/logger.ts'
import { type LiveEvent, type LiveEvents, type LiveHandler, LiveChannels } from './live-events.ts'

function connect(url: string, name: string, log: Logger): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    // Commands fail fast while Redis is away instead of queueing without bound.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: attempt => Math.min(5_000, 100 * 2 ** Math.min(attempt, 6))
  })
  redis.on('error', error => log.debug({ err: describeError(error) }, 'redis connection error'))
  return redis
}

export class RedisLiveEvents implements LiveEvents {
  readonly #url: string
  readonly #log: Logger
  readonly #publisher: Redis
  readonly #subscribers = new Set<Redis>()
  readonly #prefix: string
  #connecting: Promise<void> | undefined

  constructor(url: string, log: Logger, options: { keyPrefix?: string } = {}) {
    this.#url = url
    this.#prefix = `${options.keyPrefix ?? 'cryptoviz'}:live:`
    this.#log = log.child({ component: 'live-events' })
    this.#publisher = connect(url, 'crypto-viz-live-pub', this.#log)
  }

  async publish(events: readonly LiveEvent[]): Promise<void> {
    if (events.length === 0) return
    if (this.#publisher.status === 'wait')
      this.#connecting ??= this.#publisher.connect().catch(() => undefined)
    await this.#connecting
    const byChannel = new Map<string, LiveEvent[]>()
    for (const event of events) {
      const list = byChannel.get(event.channel) ?? []
      list.push(event)
      byChannel.set(event.channel, list)
    }
    await Promise.all(
      [...byChannel].map(([channel, list]) =>
        this.#publisher.publish(this.#prefix + channel, JSON.stringify(list))
      )
    )
  }

  async subscribe(handler: LiveHandler): Promise<{ close(): Promise<void> }> {
    const subscriber = connect(this.#url, 'crypto-viz-live-sub', this.#log)
    // ioredis resubscribes automatically after a reconnect.
    subscriber.options.enableOfflineQueue = true
    this.#subscribers.add(subscriber)
    subscriber.on('message', (channel: string, message: string) => {
      try {
        for (const event of JSON.parse(message) as LiveEvent[]) handler(event)
      } catch (error) {
        this.#log.warn({ channel, err: describeError(error) }, 'unreadable live event skipped')
      }
    })
    await subscriber.connect()
    await subscriber.subscribe(...LiveChannels.map(channel => this.#prefix + channel))
    return {
      close: async () => {
        this.#subscribers.delete(subscriber)
        subscriber.disconnect()
      }
    }
  }

  async close(): Promise<void> {
    for (const subscriber of this.#subscribers) subscriber.disconnect()
    this.#subscribers.clear()
    this.#publisher.disconnect()
  }
}
