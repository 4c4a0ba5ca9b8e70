/**
 * Politeness for article pages: per host a token bucket (`ratePerMinute`, `burst`) and a cap on
 * requests in flight, and a cap on requests in flight overall. Waiters are served in arrival order
 * as far as their host allows (a busy host never holds up the others), and each waits at most until
 * its deadline: past it, or when the queue is full, it is refused with a `budget` problem, so an
 * article is never held longer than its budget. A robots.txt Crawl-delay slows a host down further.
 */
import { PageProblem } from './page-problem.ts'

export interface HostLimiterOptions {
  ratePerMinute: number
  burst: number
  hostConcurrency: number
  concurrency: number
  /** Waiters beyond this are refused at once (default 1,000). */
  maxWaiting?: number
}

interface Host {
  tokens: number
  refilledAt: number
  active: number
  /** From a Crawl-delay: at least this long between request starts. */
  minIntervalMs: number
  lastStart: number
}

interface Waiter {
  host: string
  deadline: number
  resolve: (release: () => void) => void
  reject: (error: unknown) => void
  timer: NodeJS.Timeout
  onAbort: () => void
  signal: AbortSignal | undefined
}

export class HostLimiter {
  readonly #o: HostLimiterOptions
  readonly #hosts = new Map<string, Host>()
  #waiting: Waiter[] = []
  #active = 0
  #wake: NodeJS.Timeout | undefined

  constructor(options: HostLimiterOptions) {
    this.#o = options
  }

  get waiting(): number {
    return this.#waiting.length
  }

  get active(): number {
    return this.#active
  }

  /** Honours a robots.txt Crawl-delay (seconds) for a host: never faster than one request per delay. */
  setCrawlDelay(host: string, seconds: number): void {
    this.#host(host).minIntervalMs = Math.min(seconds, 60) * 1000
  }

  /** Waits for a turn at `host` until `deadline` (epoch ms); resolves with the release of the slot. */
  acquire(host: string, deadline: number, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted === true) return Promise.reject(new PageProblem('shutdown', 'stopped'))
    if (this.#waiting.length >= (this.#o.maxWaiting ?? 1_000))
      return Promise.reject(new PageProblem('budget', 'too many articles already wait for their pages'))
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        host,
        deadline,
        resolve,
        reject,
        signal,
        timer: setTimeout(
          () => this.#drop(waiter, new PageProblem('budget', `no turn at ${host} within the budget`)),
          Math.max(0, deadline - Date.now())
        ),
        onAbort: () => this.#drop(waiter, new PageProblem('shutdown', 'stopped'))
      }
      signal?.addEventListener('abort', waiter.onAbort, { once: true })
      this.#waiting.push(waiter)
      this.#pump()
    })
  }

  #host(name: string): Host {
    let host = this.#hosts.get(name)
    if (host === undefined) {
      host = { tokens: this.#o.burst, refilledAt: Date.now(), active: 0, minIntervalMs: 0, lastStart: 0 }
      this.#hosts.set(name, host)
    }
    return host
  }

  #drop(waiter: Waiter, error: unknown): void {
    const index = this.#waiting.indexOf(waiter)
    if (index === -1) return
    this.#waiting.splice(index, 1)
    clearTimeout(waiter.timer)
    waiter.signal?.removeEventListener('abort', waiter.onAbort)
    waiter.reject(error)
  }

  #refill(host: Host, now: number): void {
    const perMs = this.#o.ratePerMinute / 60_000
    host.tokens = Math.min(this.#o.burst, host.tokens + (now - host.refilledAt) * perMs)
    host.refilledAt = now
  }

  /** Milliseconds until `host` may start a request (0: now). */
  #waitFor(host: Host, now: number): number {
    this.#refill(host, now)
    const forToken = host.tokens >= 1 ? 0 : (1 - host.tokens) / (this.#o.ratePerMinute / 60_000)
    const forDelay = Math.max(0, host.lastStart + host.minIntervalMs - now)
    return Math.max(forToken, forDelay)
  }

  #pump(): void {
    const now = Date.now()
    let nextWake = Infinity
    const still: Waiter[] = []
    for (const waiter of this.#waiting) {
      const host = this.#host(waiter.host)
      if (this.#active >= this.#o.concurrency || host.active >= this.#o.hostConcurrency) {
        still.push(waiter)
        continue
      }
      const wait = this.#waitFor(host, now)
      if (wait > 0) {
        nextWake = Math.min(nextWake, wait)
        still.push(waiter)
        continue
      }
      host.tokens -= 1
      host.active++
      host.lastStart = now
      this.#active++
      clearTimeout(waiter.timer)
      waiter.signal?.removeEventListener('abort', waiter.onAbort)
      let released = false
      waiter.resolve(() => {
        if (released) return
        released = true
        host.active--
        this.#active--
        this.#pump()
      })
    }
    this.#waiting = still
    if (this.#wake !== undefined) clearTimeout(this.#wake)
    this.#wake = undefined
    if (Number.isFinite(nextWake)) {
      this.#wake = setTimeout(() => this.#pump(), Math.ceil(nextWake))
      this.#wake.unref()
    }
  }
}
