/**
 * Live changes applied in an animation frame, at most once per `minIntervalMs`: a burst of ticks for
 * the same bar becomes one chart update, and nothing is drawn faster than the screen refreshes.
 */

/**
 * How often the live parts of the symbol view (chart, panes, tape, quote, legend) redraw at most.
 * Each redraw of a chart repaints its canvases (in software on a machine without a GPU) and each
 * text write restyles its box, so at 50 updates a second a redraw per update kept the main thread
 * busy most of the time (bench:web). Five a second still reads as live, and what is drawn is always
 * the newest value.
 */
export const LIVE_DRAW_INTERVAL_MS = 200

/** Runs `draw` in an animation frame, at most once per `minIntervalMs`, however often it is asked. */
export class FrameScheduler {
  readonly #draw: () => void
  readonly #minIntervalMs: number
  #queued = false
  #lastDrawAt = -Infinity

  constructor(draw: () => void, minIntervalMs = 0) {
    this.#draw = draw
    this.#minIntervalMs = minIntervalMs
  }

  request(): void {
    if (this.#queued) return
    this.#queued = true
    const wait = this.#lastDrawAt + this.#minIntervalMs - performance.now()
    if (wait > 0) window.setTimeout(() => requestAnimationFrame(() => this.run()), wait)
    else requestAnimationFrame(() => this.run())
  }

  /** Draws now (also called before a full redraw, which supersedes what was pending). */
  run(): void {
    if (!this.#queued) return
    this.#queued = false
    this.#lastDrawAt = performance.now()
    this.#draw()
  }
}

export class FrameBatch<K, V> {
  readonly #pending = new Map<K, V>()
  readonly #apply: (items: Map<K, V>) => void
  readonly #scheduler: FrameScheduler

  constructor(apply: (items: Map<K, V>) => void, minIntervalMs = 0) {
    this.#apply = apply
    this.#scheduler = new FrameScheduler(() => this.#flush(), minIntervalMs)
  }

  set(key: K, value: V): void {
    this.#pending.set(key, value)
    this.#scheduler.request()
  }

  /** Applies what is pending now (also called before a full redraw, which supersedes it). */
  flush(): void {
    this.#scheduler.run()
  }

  #flush(): void {
    if (this.#pending.size === 0) return
    const items = new Map(this.#pending)
    this.#pending.clear()
    this.#apply(items)
  }

  clear(): void {
    this.#pending.clear()
  }
}
