/**
 * A level-triggered wake-up for a consumer loop: `notify` before `wait` is not lost (the next wait
 * returns at once), so the loop can `reset`, look for work, and then `wait` without a race.
 */
export class Wakeup {
  #pinged = false
  #wake: (() => void) | undefined

  notify(): void {
    this.#pinged = true
    this.#wake?.()
  }

  reset(): void {
    this.#pinged = false
  }

  /** Resolves on the next notify (or a pending one), or after `timeoutMs` (Infinity: no timeout). */
  wait(timeoutMs: number): Promise<void> {
    if (this.#pinged) return Promise.resolve()
    return new Promise(resolve => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(() => done(), Math.max(0, timeoutMs)) : undefined
      const done = (): void => {
        clearTimeout(timer)
        if (this.#wake === done) this.#wake = undefined
        resolve()
      }
      this.#wake = done
    })
  }
}
