/**
 * A rolling-window budget of connection attempts. Kraken (behind Cloudflare) bans IPs that connect
 * too often; its own tools allow 120 attempts per 10 minutes, and so do we by default. When the
 * budget is spent, the next attempt waits until the oldest one leaves the window.
 */
export class ConnectBudget {
  readonly #attempts: number
  readonly #windowMs: number
  #times: number[] = []

  constructor(attempts: number, windowMs: number) {
    this.#attempts = attempts
    this.#windowMs = windowMs
  }

  /** Milliseconds to wait before the next attempt is within budget (0: go now). */
  waitMs(now: number): number {
    this.#times = this.#times.filter(time => now - time < this.#windowMs)
    if (this.#times.length < this.#attempts) return 0
    return (this.#times[0] ?? now) + this.#windowMs - now
  }

  record(now: number): void {
    this.#times.push(now)
  }
}
