/**
 * The news producer: every configured feed polled on its own timer (first polls spread out so they
 * do not all fire at once, at most a few requests in flight), articles deduplicated across feeds
 * and restarts by the persisted seen-set, published to `rawarticle` keyed by article id.
 */
import { join } from 'node:path'
import type { Logger } from 'pino'
import { TopicNames } from '../../schemas/topics.ts'
import type { Config } from '../../config/config.ts'
import type { ProducerMetrics } from '../producer-metrics.ts'
import type { BufferedPublisher } from '../publish/buffered-publisher.ts'
import { selects } from '../../config/signal-parsers.ts'
import { ArticleReader } from './articles/article-reader.ts'
import { type FeedStatus, FeedPoller } from './feed-poller.ts'
import { SeenStore } from './seen-store.ts'

export type NewsSettings = Config['news']

export interface NewsProducerOptions {
  news: NewsSettings
  dataDir: string
  publisher: BufferedPublisher
  metrics: ProducerMetrics
  log: Logger
  topic?: string
  /** Seen-set file (default <dataDir>/news/seen.tsv). */
  seenPath?: string
  /** Article pages: where to connect (replay's site farm) and loopback hosts to allow. */
  pages?: { route?: (url: URL) => URL; allowPrivate?: readonly string[] }
  tuning?: {
    /** First polls are spread over this long (default min(interval, 10 s)). */
    startSpreadMs?: number
    /** Longest wait after repeated failures (default 1 h). */
    maxBackoffMs?: number
    maxConcurrent?: number
    /**
     * The timer of each feed's next poll (default setTimeout). Tests pass their own to read the
     * delay every poll is scheduled with and to fire it at once: a backoff is then checked by its
     * schedule, not by how many polls happen to fit into some elapsed time.
     */
    timer?: PollTimer
  }
}

/** Calls `poll` once after `delayMs`; returns the timer's cancel. */
export type PollTimer = (poll: () => void, delayMs: number) => () => void

const realTimer: PollTimer = (poll, delayMs) => {
  const timer = setTimeout(poll, delayMs)
  return () => clearTimeout(timer)
}

export class NewsProducer {
  readonly #o: NewsProducerOptions
  readonly #seen: SeenStore
  readonly #pollers: FeedPoller[]
  readonly #reader: ArticleReader | undefined
  readonly #stop = new AbortController()
  /** Cancels of the timers still pending. */
  readonly #timers = new Set<() => void>()
  readonly #running = new Set<Promise<unknown>>()
  #active = 0
  readonly #waiting: (() => void)[] = []

  private constructor(options: NewsProducerOptions, seen: SeenStore) {
    this.#o = options
    this.#seen = seen
    const log = options.log.child({ component: 'news-producer' })
    const fetchPages = options.news.feeds.filter(feed => selects(options.news.articles.feeds, feed.name))
    this.#reader =
      fetchPages.length === 0
        ? undefined
        : new ArticleReader({
            settings: options.news.articles,
            metrics: options.metrics,
            log,
            ...(options.pages?.route === undefined ? {} : { route: options.pages.route }),
            ...(options.pages?.allowPrivate === undefined ? {} : { allowPrivate: options.pages.allowPrivate })
          })
    this.#pollers = options.news.feeds.map(
      feed =>
        new FeedPoller(feed, {
          publisher: options.publisher,
          seen,
          metrics: options.metrics,
          log,
          topic: options.topic ?? TopicNames.article,
          userAgent: options.news.userAgent,
          fetchTimeoutMs: options.news.fetchTimeoutMs,
          skipSponsored: options.news.skipSponsored,
          signal: this.#stop.signal,
          reader: fetchPages.includes(feed) ? this.#reader : undefined
        })
    )
  }

  static async create(options: NewsProducerOptions): Promise<NewsProducer> {
    const seen = await SeenStore.open(options.seenPath ?? join(options.dataDir, 'news', 'seen.tsv'), {
      retentionMs: options.news.seenRetentionDays * 86_400_000,
      log: options.log
    })
    return new NewsProducer(options, seen)
  }

  start(): void {
    this.#o.log.info({ feeds: this.#pollers.map(p => p.feed.name) }, 'news producer starting')
    for (const poller of this.#pollers) {
      const interval = this.#intervalMs(poller)
      const spread = this.#o.tuning?.startSpreadMs ?? Math.min(interval, 10_000)
      this.#schedule(poller, Math.random() * spread, 0)
    }
  }

  /** Polls every feed (or the named one) now, waiting for the result. For tests and the CLI. */
  async pollNow(name?: string): Promise<void> {
    await Promise.all(
      this.#pollers
        .filter(p => name === undefined || p.feed.name === name)
        .map(async p => {
          await this.#limited(() => p.poll())
          await p.drain()
        })
    )
  }

  status(): FeedStatus[] {
    return this.#pollers.map(p => p.status())
  }

  get seenCount(): number {
    return this.#seen.size
  }

  /**
   * Stops polling and waits for polls in flight; articles still waiting for their page are handed
   * to the publisher at once, marked as skipped (shutdown), so none is lost.
   */
  async stop(): Promise<void> {
    this.#stop.abort()
    for (const cancel of this.#timers) cancel()
    this.#timers.clear()
    await this.#reader?.close()
    await Promise.allSettled([...this.#running])
    await Promise.allSettled(this.#pollers.map(p => p.drain()))
  }

  /** Writes the seen-set; call after the publisher has flushed, so every acknowledgement is in. */
  async close(): Promise<void> {
    await this.#seen.flush()
  }

  #intervalMs(poller: FeedPoller): number {
    return (poller.feed.intervalS ?? this.#o.news.pollIntervalS) * 1000
  }

  #schedule(poller: FeedPoller, delayMs: number, failures: number): void {
    if (this.#stop.signal.aborted) return
    const cancel = (this.#o.tuning?.timer ?? realTimer)(() => {
      this.#timers.delete(cancel)
      const run = this.#limited(() => poller.poll()).then(hint => {
        const failing = poller.status().state === 'failing'
        const next = failing ? failures + 1 : 0
        const interval = this.#intervalMs(poller)
        const backoff = Math.min(this.#o.tuning?.maxBackoffMs ?? 3_600_000, interval * 2 ** Math.min(next, 6))
        const base = next === 0 ? interval : Math.max(interval, backoff)
        // ±10 % so feeds sharing an interval drift apart instead of polling in lock-step.
        this.#schedule(poller, Math.max(hint.retryAfterMs ?? 0, base * (0.9 + Math.random() * 0.2)), next)
      })
      this.#running.add(run)
      void run.finally(() => this.#running.delete(run))
    }, delayMs)
    this.#timers.add(cancel)
  }

  async #limited<T>(task: () => Promise<T>): Promise<T> {
    const max = this.#o.tuning?.maxConcurrent ?? 4
    if (this.#active >= max) await new Promise<void>(resolve => this.#waiting.push(resolve))
    this.#active++
    try {
      return await task()
    } finally {
      this.#active--
      this.#waiting.shift()?.()
    }
  }
}
