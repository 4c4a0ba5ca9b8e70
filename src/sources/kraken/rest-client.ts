/**
 * Kraken's public REST API, the way it really behaves: errors arrive with HTTP 200 in `error[]`,
 * rate limiting shows as `EGeneral:Too many requests` / `EAPI:Rate limit exceeded` /
 * `EService:Throttled: <unix time>` or HTTP 429, and the result is keyed by Kraken's own pair name
 * (read "the first key that is not `last`"). Calls are spaced by `minIntervalMs` (≈1 public call per
 * second is safe), rate-limit and transient failures are retried with backoff, anything else fails
 * with KRAKEN_REST naming Kraken's own message.
 */
import type { Logger } from 'pino'
import { CryptoVizError, ErrorCodes, describeError } from '../../errors/errors.ts'
import { equalJitterDelay, sleep } from '../../lib/backoff.ts'
import type { ProducerMetrics } from '../producer-metrics.ts'
import { type Json, type JsonObject, asArray, asObject, isObject, parseLossless } from './wire.ts'

export interface KrakenRestOptions {
  /** e.g. https://api.kraken.com (paths /0/public/… are appended). */
  baseUrl: string
  minIntervalMs: number
  log: Logger
  metrics?: ProducerMetrics
  timeoutMs?: number
  /** Attempts per call for retryable failures (default 6). */
  maxAttempts?: number
  /** First backoff after a rate-limit or transient failure (default 2 s, doubling, capped at 60 s). */
  retryInitialMs?: number
  signal?: AbortSignal
}

export interface TradesPage {
  rows: Json[]
  /** Opaque nanosecond cursor for the next page (`since`). */
  last: string
}

export interface OhlcPage {
  rows: Json[]
  /** Time (s) of the last committed candle; the final row is the one still forming. */
  last: number
}

const rateLimitErrors = /^(EGeneral:Too many requests|EAPI:Rate limit exceeded|EService:Throttled)/
const transientErrors =
  /^(EService:Unavailable|EService:Busy|EGeneral:Temporary lockout|EService:Market in cancel_only mode)/

class RestFailure extends CryptoVizError {}

export class KrakenRest {
  readonly #options: KrakenRestOptions
  #chain: Promise<unknown> = Promise.resolve()
  #lastCallAt = 0

  constructor(options: KrakenRestOptions) {
    this.#options = options
  }

  async trades(pair: string, since?: string, count = 1000): Promise<TradesPage> {
    const result = await this.call('Trades', { pair, count: String(count), ...(since ? { since } : {}) })
    const last = result.last
    return { rows: asArray(pairRows(result), 'Trades result'), last: typeof last === 'string' ? last : '' }
  }

  async ohlc(pair: string, interval: number, since?: number): Promise<OhlcPage> {
    const params: Record<string, string> = { pair, interval: String(interval) }
    if (since !== undefined) params.since = String(since)
    const result = await this.call('OHLC', params)
    return { rows: asArray(pairRows(result), 'OHLC result'), last: Number(result.last ?? 0) }
  }

  async systemStatus(): Promise<string> {
    const result = await this.call('SystemStatus', {})
    return typeof result.status === 'string' ? result.status : 'unknown'
  }

  /** One public endpoint call, spaced and retried; resolves with `result`. */
  call(endpoint: string, params: Record<string, string>): Promise<JsonObject> {
    // Serialised: the spacing is per client, and concurrent gap fills must not burst.
    const run = this.#chain.then(() => this.#withRetries(endpoint, params))
    this.#chain = run.catch(() => undefined)
    return run
  }

  async #withRetries(endpoint: string, params: Record<string, string>): Promise<JsonObject> {
    const maxAttempts = this.#options.maxAttempts ?? 6
    const initialMs = this.#options.retryInitialMs ?? 2_000
    for (let attempt = 1; ; attempt++) {
      const wait = this.#lastCallAt + this.#options.minIntervalMs - Date.now()
      if (wait > 0) await sleep(wait, this.#options.signal)
      this.#lastCallAt = Date.now()
      try {
        const result = await this.#once(endpoint, params)
        this.#options.metrics?.restRequests.inc({ endpoint, outcome: 'ok' })
        return result
      } catch (error) {
        const failure = error instanceof RestFailure ? error : undefined
        const rateLimited = failure?.code === ErrorCodes.KRAKEN_RATE_LIMITED
        this.#options.metrics?.restRequests.inc({
          endpoint,
          outcome: rateLimited ? 'rate_limited' : failure?.retryable === false ? 'error' : 'transient'
        })
        if (failure?.retryable === false || attempt >= maxAttempts || this.#options.signal?.aborted)
          throw error
        const throttledUntil = /EService:Throttled: ?(\d+)/.exec(failure?.message ?? '')?.[1]
        const delay =
          throttledUntil !== undefined
            ? Math.min(60_000, Math.max(0, Number(throttledUntil) * 1000 - Date.now()))
            : equalJitterDelay(attempt, { initialMs, maxMs: 60_000 })
        this.#options.log.warn(
          { code: failure?.code, endpoint, params, attempt, retryInMs: delay, err: describeError(error) },
          rateLimited ? 'Kraken REST rate limit; backing off' : 'Kraken REST call failed; retrying'
        )
        await sleep(delay, this.#options.signal)
      }
    }
  }

  async #once(endpoint: string, params: Record<string, string>): Promise<JsonObject> {
    const url = new URL(`${this.#options.baseUrl}/0/public/${endpoint}`)
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
    const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 15_000)
    const signal = this.#options.signal ? AbortSignal.any([timeout, this.#options.signal]) : timeout
    let response: Response
    let body: string
    try {
      response = await fetch(url, { signal, headers: { accept: 'application/json' } })
      body = await response.text()
    } catch (error) {
      throw new RestFailure(ErrorCodes.KRAKEN_REST, `GET ${url.pathname} failed: ${describeError(error)}`, {
        cause: error,
        retryable: true
      })
    }
    if (response.status === 429) {
      throw new RestFailure(ErrorCodes.KRAKEN_RATE_LIMITED, `GET ${url.pathname}: HTTP 429`, {
        retryable: true
      })
    }
    let envelope: JsonObject
    try {
      envelope = asObject(parseLossless(body), 'REST envelope')
    } catch (error) {
      throw new RestFailure(
        ErrorCodes.KRAKEN_REST,
        `GET ${url.pathname}: HTTP ${response.status}, body is not Kraken JSON (${body.slice(0, 80).replace(/\s+/g, ' ')})`,
        { cause: error, retryable: response.status >= 500 }
      )
    }
    const errors = Array.isArray(envelope.error) ? envelope.error.filter(e => typeof e === 'string') : []
    const first = errors[0]
    if (typeof first === 'string') {
      const rateLimited = rateLimitErrors.test(first)
      throw new RestFailure(
        rateLimited ? ErrorCodes.KRAKEN_RATE_LIMITED : ErrorCodes.KRAKEN_REST,
        `GET ${url.pathname} ${url.search}: Kraken says ${errors.join('; ')}`,
        { retryable: rateLimited || transientErrors.test(first) }
      )
    }
    if (!response.ok) {
      throw new RestFailure(ErrorCodes.KRAKEN_REST, `GET ${url.pathname}: HTTP ${response.status}`, {
        retryable: response.status >= 500
      })
    }
    if (!isObject(envelope.result))
      throw new RestFailure(ErrorCodes.KRAKEN_REST, `GET ${url.pathname}: no result`)
    return envelope.result
  }
}

/** Kraken keys the rows by its own pair name (`XXBTZUSD` for `XBTUSD`): take the first non-`last` key. */
function pairRows(result: JsonObject): Json | undefined {
  const key = Object.keys(result).find(name => name !== 'last')
  return key === undefined ? [] : result[key]
}
