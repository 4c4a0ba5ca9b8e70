/**
 * Gives a new article its main text from its page, within the article's time budget, or says why
 * not. Per page: robots.txt (per origin, cached), a turn from the per-host rate limiter, one safe
 * GET (page-client.ts), then decoding and Readability extraction in the worker. The article comes
 * back either with `content` and `extraction.status: extracted` (coin mentions recomputed with the
 * body), or exactly as the feed gave it with `extraction.status` `failed` or `skipped` and the
 * reason: it is always published, never lost, never later than its budget.
 */
import type { Logger } from 'pino'
import type { Config } from '../../../config/config.ts'
import { describeError } from '../../../errors/errors.ts'
import type { ArticleV1 } from '../../../schemas/index.ts'
import type { ProducerMetrics } from '../../producer-metrics.ts'
import { coinMentions } from '../coin-mentions.ts'
import { MIN_MAIN_TEXT } from './extract-text.ts'
import { ExtractorPool } from './extractor-pool.ts'
import { HostLimiter } from './host-limiter.ts'
import { type PageRequest, fetchPage } from './page-client.ts'
import { PageProblem, type PageProblemKind } from './page-problem.ts'
import { RobotsCache } from './robots-cache.ts'

export type ArticleSettings = Config['news']['articles']

export interface ArticleReaderOptions {
  settings: ArticleSettings
  metrics: ProducerMetrics
  log: Logger
  /** Where to connect for a page URL (replay: the loopback site farm). */
  route?: (url: URL) => URL
  /** More hosts allowed to resolve to private addresses (replay and tests: their loopback server). */
  allowPrivate?: readonly string[]
}

const ROBOTS_MAX_BYTES = 512 * 1024
const SKIPPED = new Set<PageProblemKind>(['robots', 'budget', 'shutdown'])
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

export class ArticleReader {
  readonly #o: ArticleReaderOptions
  readonly #limiter: HostLimiter
  readonly #robots: RobotsCache
  readonly #extractor: ExtractorPool
  readonly #request: Omit<PageRequest, 'timeoutMs' | 'accept' | 'maxBytes'>
  readonly #stop = new AbortController()
  #waiting = 0

  constructor(options: ArticleReaderOptions) {
    this.#o = options
    const s = options.settings
    this.#limiter = new HostLimiter({
      ratePerMinute: s.hostRatePerMinute,
      burst: s.hostBurst,
      hostConcurrency: s.hostConcurrency,
      concurrency: s.concurrency
    })
    this.#request = {
      userAgent: s.userAgent,
      maxRedirects: s.maxRedirects,
      allowPrivate: new Set(
        [...s.allowPrivateHosts, ...(options.allowPrivate ?? [])].map(h => h.toLowerCase())
      ),
      route: options.route,
      signal: this.#stop.signal
    }
    this.#robots = new RobotsCache({
      userAgent: s.userAgent,
      fetch: async url => {
        const page = await fetchPage(url, {
          ...this.#request,
          accept: 'text',
          maxBytes: ROBOTS_MAX_BYTES,
          timeoutMs: s.timeoutMs
        })
        return { status: page.status, text: page.bytes.toString('utf8') }
      },
      onFetched: outcome => options.metrics.articleRobots.inc({ outcome })
    })
    this.#extractor = new ExtractorPool({ timeoutMs: s.timeoutMs })
  }

  /**
   * The article with its page's main text, or marked with why not. `since` (epoch ms) is when the
   * article became new: its budget counts from then. Never throws.
   */
  async read(article: ArticleV1, feed: string, since = Date.now()): Promise<ArticleV1> {
    const { metrics } = this.#o
    if (article.extraction?.status === 'feed' && (article.content?.length ?? 0) >= MIN_MAIN_TEXT) {
      metrics.articleExtractions.inc({ feed, status: 'feed', reason: '' })
      return article
    }
    this.#waiting++
    metrics.articleWaiting.set(this.#waiting)
    try {
      const text = await this.#mainText(article.url, since + this.#o.settings.budgetMs)
      metrics.articleExtractions.inc({ feed, status: 'extracted', reason: '' })
      return {
        ...article,
        content: text,
        extraction: { status: 'extracted' },
        summary: article.summary === '' ? clip(text, 500) : article.summary,
        coins: coinMentions({
          title: article.title,
          body: article.summary,
          content: text,
          categories: article.categories
        })
      }
    } catch (error) {
      const problem =
        error instanceof PageProblem
          ? error
          : new PageProblem('extract_error', describeError(error), { cause: error })
      const status = SKIPPED.has(problem.kind) ? 'skipped' : 'failed'
      metrics.articleExtractions.inc({ feed, status, reason: problem.kind })
      this.#o.log.debug(
        { code: problem.code, kind: problem.kind, url: article.url, err: describeError(problem) },
        'article page not used; published with the feed text'
      )
      const reason = clip(`${problem.kind}: ${problem.message}`, 500)
      // A short text from the feed stays (and says so); otherwise the article is marked as it is.
      return article.extraction?.status === 'feed'
        ? { ...article, extraction: { status: 'feed', reason } }
        : { ...article, extraction: { status, reason } }
    } finally {
      this.#waiting--
      metrics.articleWaiting.set(this.#waiting)
    }
  }

  async #mainText(url: string, deadline: number): Promise<string> {
    const s = this.#o.settings
    const signal = this.#stop.signal
    const remaining = (): number => deadline - Date.now()
    const host = new URL(url).host
    const robots = await withDeadline(this.#robots.check(url), remaining(), 'robots.txt')
    if (!robots.allowed) throw new PageProblem('robots', robots.reason ?? 'disallowed by robots.txt')
    if (robots.crawlDelay !== undefined) this.#limiter.setCrawlDelay(host, robots.crawlDelay)
    const release = await this.#limiter.acquire(host, deadline, signal)
    let page
    const started = performance.now()
    try {
      page = await fetchPage(url, {
        ...this.#request,
        accept: 'html',
        maxBytes: s.maxBytes,
        timeoutMs: Math.max(1, Math.min(s.timeoutMs, remaining()))
      })
    } finally {
      release()
    }
    this.#o.metrics.articleFetchSeconds.observe((performance.now() - started) / 1000)
    this.#o.metrics.articlePageBytes.inc(page.bytes.byteLength)
    const result = await this.#extractor.extract(
      page.bytes,
      page.contentType,
      page.url,
      Math.max(1_000, remaining())
    )
    if (result.ms !== undefined) this.#o.metrics.articleExtractSeconds.observe(result.ms / 1000)
    if (!result.ok)
      throw new PageProblem(
        result.problem.startsWith('extraction failed') ? 'extract_error' : 'no_main_text',
        result.problem
      )
    if (result.fallback !== undefined) this.#o.log.debug({ url, encoding: result.encoding }, result.fallback)
    return result.text
  }

  /** Stops waiting and fetching: articles still reading come back marked `shutdown` at once. */
  async close(): Promise<void> {
    this.#stop.abort()
    await this.#extractor.close()
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  if (ms <= 0) return Promise.reject(new PageProblem('budget', `no time left for ${what}`))
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PageProblem('budget', `${what} not answered within the budget`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
