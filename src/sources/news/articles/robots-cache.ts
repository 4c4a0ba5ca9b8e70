/**
 * robots.txt, per origin, as RFC 9309 says: fetched once and kept for a day; a 4xx answer means no
 * rules (everything allowed); a 5xx, a timeout or a network failure means the site is unreachable,
 * which a crawler must treat as "disallow everything" (kept a shorter while, then asked again).
 * Rules are matched for our product token (`crypto-viz` from the User-Agent), else `*`, by
 * robots-parser; a Crawl-delay is handed to the rate limiter. Concurrent checks of one origin
 * share one fetch; at most `maxOrigins` origins are remembered.
 */
import robotsParserModule from 'robots-parser'
import { describeError } from '../../../errors/errors.ts'
import { PageProblem } from './page-problem.ts'

// A CommonJS module whose typings declare an ES default export: at run time the default is the function.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default

export type RobotsFetch = (url: string) => Promise<{ status: number; text: string }>

export interface RobotsVerdict {
  allowed: boolean
  /** Crawl-delay for our agent, seconds. */
  crawlDelay: number | undefined
  /** Why not, in words. */
  reason?: string
}

interface Entry {
  outcome: 'rules' | 'no_rules' | 'unreachable'
  expiresAt: number
  check: (url: string) => RobotsVerdict
}

export interface RobotsCacheOptions {
  fetch: RobotsFetch
  userAgent: string
  ttlMs?: number
  unreachableTtlMs?: number
  maxOrigins?: number
  /** Told how each robots.txt fetch went (metrics). */
  onFetched?: (outcome: 'rules' | 'no_rules' | 'unreachable') => void
}

const BROWSER_PRODUCTS = /^(mozilla|applewebkit|chrome|safari|gecko|firefox|edg|version|khtml)$/i

/** The product token robots.txt rules name: the first non-browser `name/version` of the agent. */
export function robotsToken(userAgent: string): string {
  for (const [, name] of userAgent.matchAll(/([A-Za-z][A-Za-z0-9_-]*)\/[\w.]+/g)) {
    if (name !== undefined && !BROWSER_PRODUCTS.test(name)) return name.toLowerCase()
  }
  return '*'
}

export class RobotsCache {
  readonly #o: Required<Omit<RobotsCacheOptions, 'fetch' | 'userAgent'>> & RobotsCacheOptions
  readonly #token: string
  readonly #entries = new Map<string, Entry>()
  readonly #loading = new Map<string, Promise<Entry>>()

  constructor(options: RobotsCacheOptions) {
    this.#o = {
      ttlMs: 86_400_000,
      unreachableTtlMs: 600_000,
      maxOrigins: 1_000,
      onFetched: () => {},
      ...options
    }
    this.#token = robotsToken(options.userAgent)
  }

  async check(pageUrl: string): Promise<RobotsVerdict> {
    const origin = new URL(pageUrl).origin
    const cached = this.#entries.get(origin)
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.check(pageUrl)
    let loading = this.#loading.get(origin)
    if (loading === undefined) {
      loading = this.#load(origin).finally(() => this.#loading.delete(origin))
      this.#loading.set(origin, loading)
    }
    return (await loading).check(pageUrl)
  }

  async #load(origin: string): Promise<Entry> {
    const robotsUrl = `${origin}/robots.txt`
    let entry: Entry
    try {
      const { status, text } = await this.#o.fetch(robotsUrl)
      if (status >= 200 && status < 300) {
        const robots = robotsParser(robotsUrl, text)
        const token = this.#token
        entry = {
          outcome: 'rules',
          expiresAt: Date.now() + this.#o.ttlMs,
          check: url => {
            const allowed = robots.isAllowed(url, token) !== false
            return {
              allowed,
              crawlDelay: robots.getCrawlDelay(token),
              ...(allowed
                ? {}
                : {
                    reason: `robots.txt disallows it for ${token} (line ${robots.getMatchingLineNumber(url, token)})`
                  })
            }
          }
        }
      } else if (status >= 400 && status < 500) {
        entry = this.#noRules()
      } else {
        entry = this.#unreachable(`robots.txt answered HTTP ${status}`)
      }
    } catch (error) {
      if (
        error instanceof PageProblem &&
        error.status !== undefined &&
        error.status >= 400 &&
        error.status < 500
      )
        entry = this.#noRules()
      else if (error instanceof PageProblem && error.kind === 'shutdown') throw error
      else entry = this.#unreachable(`robots.txt unreachable (${describeError(error)})`)
    }
    this.#o.onFetched(entry.outcome)
    if (this.#entries.size >= this.#o.maxOrigins) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
    this.#entries.delete(origin)
    this.#entries.set(origin, entry)
    return entry
  }

  #noRules(): Entry {
    return {
      outcome: 'no_rules',
      expiresAt: Date.now() + this.#o.ttlMs,
      check: () => ({ allowed: true, crawlDelay: undefined })
    }
  }

  #unreachable(reason: string): Entry {
    return {
      outcome: 'unreachable',
      expiresAt: Date.now() + this.#o.unreachableTtlMs,
      check: () => ({
        allowed: false,
        crawlDelay: undefined,
        reason: `${reason}: treated as disallowing everything`
      })
    }
  }
}
