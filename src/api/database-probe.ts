/**
 * Keeps the API's view of the database current, so that readiness (a cheap synchronous check) fails
 * while the database is unreachable and recovers when it is back: a `select 1` every `intervalMs`,
 * each bounded by `timeoutMs`, plus what real queries observe on the way (reportFailure/reportSuccess).
 */
import { ErrorCodes, describeError, isCryptoVizError } from '../errors/errors.ts'
import type { Logger } from '../log/logger.ts'
import type { CheckResult } from '../ops/health.ts'
import type { Queryable } from '../store/database.ts'

export class DatabaseProbe {
  readonly #db: Queryable
  readonly #log: Logger
  readonly #timer: NodeJS.Timeout
  readonly #timeoutMs: number
  #up = true
  #detail = 'reachable'
  #since = new Date().toISOString()
  #probing = false

  constructor(db: Queryable, log: Logger, options: { intervalMs?: number; timeoutMs?: number } = {}) {
    this.#db = db
    this.#log = log
    this.#timeoutMs = options.timeoutMs ?? 2_000
    this.#timer = setInterval(() => void this.probe(), options.intervalMs ?? 1_000)
    this.#timer.unref()
  }

  get up(): boolean {
    return this.#up
  }

  check(): CheckResult {
    return this.#up
      ? { status: 'up', detail: this.#detail, data: { since: this.#since } }
      : { status: 'down', detail: this.#detail, data: { since: this.#since } }
  }

  async probe(): Promise<void> {
    if (this.#probing) return
    this.#probing = true
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        this.#db.query('select 1'),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.#timeoutMs} ms`)),
            this.#timeoutMs
          )
        })
      ])
      this.reportSuccess()
    } catch (error) {
      this.reportFailure(error)
    } finally {
      clearTimeout(timer)
      this.#probing = false
    }
  }

  reportSuccess(): void {
    if (this.#up) return
    this.#up = true
    this.#detail = 'reachable'
    this.#since = new Date().toISOString()
    this.#log.info('database reachable again')
  }

  /** Only unavailability counts: a query the database rejected says nothing about reachability. */
  reportFailure(error: unknown): void {
    const unreachable = !isCryptoVizError(error) || isCryptoVizError(error, ErrorCodes.DB_UNAVAILABLE)
    if (!unreachable || !this.#up) return
    this.#up = false
    this.#detail = `unreachable: ${describeError(error)}`
    this.#since = new Date().toISOString()
    this.#log.warn({ err: describeError(error) }, 'database unreachable')
  }

  stop(): void {
    clearInterval(this.#timer)
  }
}
