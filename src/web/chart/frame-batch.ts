/**
 * Live changes applied once per animation frame: a burst of ticks for the same bar becomes one
 * chart update, and nothing is drawn faster than the screen refreshes.
 */
export class FrameBatch<K, V> {
  readonly #pending = new Map<K, V>()
  readonly #apply: (items: Map<K, V>) => void
  #queued = false

  constructor(apply: (items: Map<K, V>) => void) {
    this.#apply = apply
  }

  set(key: K, value: V): void {
    this.#pending.set(key, value)
    if (this.#queued) return
    this.#queued = true
    requestAnimationFrame(() => this.flush())
  }

  /** Applies what is pending now (also called before a full redraw, which supersedes it). */
  flush(): void {
    this.#queued = false
    if (this.#pending.size === 0) return
    const items = new Map(this.#pending)
    this.#pending.clear()
    this.#apply(items)
  }

  clear(): void {
    this.#pending.clear()
  }
}
