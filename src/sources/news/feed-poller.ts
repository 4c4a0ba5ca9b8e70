/**
 * One feed, polled on its own schedule: a conditional GET, decoding, parsing, then each item
 * normalized, deduplicated and handed to the publisher, oldest first. A failure (HTTP status,
 * timeout, HTML instead of XML, broken XML…) is recorded in this feed's status and metrics, and
 * only pushes this feed's next poll back (doubling, honouring Retry-After); other feeds never
 * notice. Validators (ETag, Last-Modified) are kept only from responses that parsed.
 */
import type { Logger } from 'pino'
import type { FeedSpec } from '../../config/config.ts'
import { ErrorCodes, describeError } from '../../errors/errors.ts'
import { nowIsoMicros } from '../../lib/time.ts'
import { type ArticleV1, articleCodec } from '../../schemas/index.ts'
import type { ProducerMetrics } from '../producer-metrics.ts'
import type { BufferedPublisher } from '../publish/buffered-publisher.ts'
import type { ArticleReader } from './articles/article-reader.ts'
import { titleKey } from './canonical-url.ts'
import { decodeFeed } from './decode.ts'
import { FeedProblem } from './feed-problem.ts'
import { type Validators, fetchFeed } from './feed-fetcher.ts'
import { parseFeed } from './feed-parser.ts'
import { normalizeItem } from './normalize-item.ts'
import type { ArticleKeys, SeenStore } from './seen-store.ts'

export interface FeedStatus {
  name: string
  url: string
  state: 'pending' | 'ok' | 'failing'
  lastPollAt: string | undefined
  lastOkAt: string | undefined
  lastError: { kind: string; message: string; at: string } | undefined
  consecutiveFailures: number
  published: number
  duplicates: number
  invalid: number
}

export interface PollerContext {
  publisher: BufferedPublisher
  seen: SeenStore
  metrics: ProducerMetrics
  log: Logger
  topic: string
  userAgent: string
  fetchTimeoutMs: number
  skipSponsored: boolean
  signal: AbortSignal
  /** Reads each new article's page before it is published (absent: the feed text only). */
  reader?: ArticleReader | undefined
}

export class FeedPoller {
  readonly feed: FeedSpec
  readonly #c: PollerContext
  readonly #log: Logger
  #validators: Validators = {}
  #status: FeedStatus
  /** New articles on their way to the publisher, in feed order (pages being read). */
  #publishing: Promise<void> = Promise.resolve()

  constructor(feed: FeedSpec, context: PollerContext) {
    this.feed = feed
    this.#c = context
    this.#log = context.log.child({ feed: feed.name })
    this.#status = {
      name: feed.name,
      url: feed.url,
      state: 'pending',
      lastPollAt: undefined,
      lastOkAt: undefined,
      lastError: undefined,
      consecutiveFailures: 0,
      published: 0,
      duplicates: 0,
      invalid: 0
    }
  }

  status(): FeedStatus {
    return { ...this.#status }
  }

  /** Resolves once every article of the polls so far was handed to the publisher. */
  drain(): Promise<void> {
    return this.#publishing
  }

  /** One poll. Never throws: every failure ends up in the status. Returns a wait hint (Retry-After). */
  async poll(): Promise<{ retryAfterMs?: number }> {
    const { metrics } = this.#c
    const at = nowIsoMicros()
    this.#status.lastPollAt = at
    try {
      const result = await fetchFeed(this.feed.url, this.#validators, {
        userAgent: this.#c.userAgent,
        timeoutMs: this.#c.fetchTimeoutMs,
        signal: this.#c.signal
      })
      if (result.kind === 'not-modified') {
        metrics.feedPolls.inc({ feed: this.feed.name, outcome: 'not_modified' })
      } else {
        const decoded = decodeFeed(result.bytes, result.contentType)
        if (decoded.mismatch !== undefined) this.#log.warn({ encoding: decoded.encoding }, decoded.mismatch)
        const parsed = parseFeed(decoded.text)
        this.#validators = result.validators
        metrics.feedPolls.inc({ feed: this.feed.name, outcome: 'ok' })
        this.#publish(parsed.items.length === 0 ? [] : this.#articles(parsed, at))
      }
      this.#status.state = 'ok'
      this.#status.lastOkAt = at
      this.#status.consecutiveFailures = 0
      metrics.feedUp.set({ feed: this.feed.name }, 1)
      metrics.feedLastSuccess.set({ feed: this.feed.name }, Date.parse(at) / 1000)
      return {}
    } catch (error) {
      if (this.#c.signal.aborted) return {}
      const problem = error instanceof FeedProblem ? error : undefined
      const kind = problem?.kind ?? 'internal'
      this.#status.state = 'failing'
      this.#status.consecutiveFailures++
      this.#status.lastError = { kind, message: describeError(error), at }
      metrics.feedPolls.inc({ feed: this.feed.name, outcome: kind })
      metrics.feedUp.set({ feed: this.feed.name }, 0)
      this.#log.warn(
        {
          code: problem?.code ?? ErrorCodes.FEED_FETCH,
          kind,
          url: this.feed.url,
          failures: this.#status.consecutiveFailures,
          err: describeError(error)
        },
        'feed poll failed; the other feeds are not affected'
      )
      return problem?.retryAfterMs === undefined ? {} : { retryAfterMs: problem.retryAfterMs }
    }
  }

  #articles(
    parsed: ReturnType<typeof parseFeed>,
    fetchedAt: string
  ): { article: ArticleV1; keys: ArticleKeys }[] {
    const out: { article: ArticleV1; keys: ArticleKeys }[] = []
    for (const item of parsed.items) {
      const normalized = normalizeItem(item, {
        source: this.feed.name,
        feedUrl: this.feed.url,
        channelLink: parsed.link,
        fetchedAt
      })
      if (!normalized.ok) {
        this.#count('invalid')
        this.#c.metrics.malformed.inc({ source: 'feed' })
        this.#log.debug({ reason: normalized.reason, title: item.title.slice(0, 80) }, 'feed item skipped')
        continue
      }
      const guid = item.guid === undefined ? undefined : `${this.feed.name}:${item.guid}`
      out.push({
        article: normalized.article,
        keys: { url: normalized.article.id, guid, title: titleKey(normalized.article.title) }
      })
    }
    // Oldest first, so the topic reads in publication order.
    return out.sort((a, b) =>
      a.article.publishedAt < b.article.publishedAt
        ? -1
        : a.article.publishedAt > b.article.publishedAt
          ? 1
          : 0
    )
  }

  #publish(articles: { article: ArticleV1; keys: ArticleKeys }[]): void {
    const { seen } = this.#c
    const now = Date.now()
    for (const { article, keys } of articles) {
      if (seen.duplicateBy(keys, now) !== undefined) {
        this.#count('duplicate')
        continue
      }
      if (article.sponsored && this.#c.skipSponsored) {
        this.#count('sponsored_skipped')
        continue
      }
      let value: string
      try {
        value = articleCodec.encode(article)
      } catch (error) {
        this.#count('invalid')
        this.#c.metrics.malformed.inc({ source: 'feed' })
        this.#log.warn(
          { code: ErrorCodes.MALFORMED_INPUT, err: describeError(error), url: article.url },
          'article failed validation; skipped'
        )
        continue
      }
      seen.mark(keys, now)
      const reader = this.#c.reader
      if (reader === undefined) {
        this.#enqueue(article, keys, now, value)
        continue
      }
      // Pages are read concurrently (as the rate limits allow); articles are published in feed
      // order, each once its page is read or its budget is spent.
      const read = reader.read(article, this.feed.name, now)
      this.#publishing = this.#publishing.then(async () => {
        const full = await read
        let encoded = value
        try {
          encoded = articleCodec.encode(full)
        } catch (error) {
          this.#log.warn(
            { err: describeError(error), url: article.url },
            'article with its page text failed validation; published without it'
          )
        }
        this.#enqueue(full, keys, now, encoded)
      })
    }
  }

  #enqueue(article: ArticleV1, keys: ArticleKeys, now: number, value: string): void {
    const { seen, publisher } = this.#c
    publisher.enqueue({ topic: this.#c.topic, key: article.id, value }, outcome => {
      if (outcome === 'published') {
        seen.persist(keys, now)
        this.#count('published')
      } else {
        // Offer it again next poll: forget it, and the validators that would make the poll a 304.
        seen.unmark(keys)
        this.#validators = {}
        this.#count('dropped')
      }
    })
  }

  #count(outcome: 'published' | 'duplicate' | 'invalid' | 'sponsored_skipped' | 'dropped'): void {
    this.#c.metrics.feedItems.inc({ feed: this.feed.name, outcome })
    if (outcome === 'published') this.#status.published++
    else if (outcome === 'duplicate') this.#status.duplicates++
    else if (outcome === 'invalid') this.#status.invalid++
  }
}
