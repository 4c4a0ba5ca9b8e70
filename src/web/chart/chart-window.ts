/**
 * Which part of the model the chart library holds. lightweight-charts (5.2) copies a series' whole
 * row list on every `update()` and rebuilds its drawing items for the whole series on the next
 * frame, so a live tick costs O(bars held). The facade therefore hands the library a window: the
 * newest `base` bars, grown by `base` each time the user pans to its left edge (from the model, no
 * request), and shrunk back once the user returns to the newest bars. The model keeps everything.
 */
export const WINDOW_BARS = 2_000

export class ChartWindow {
  readonly #base: number
  #size: number

  constructor(base = WINDOW_BARS) {
    this.#base = base
    this.#size = base
  }

  get size(): number {
    return this.#size
  }

  /** Index in the model of the first bar handed to the chart. */
  start(modelLength: number): number {
    return Math.max(0, modelLength - this.#size)
  }

  /** The user reached the window's left edge: true when the model has more bars to hand over. */
  grow(modelLength: number): boolean {
    if (this.start(modelLength) === 0) return false
    this.#size += this.#base
    return true
  }

  /** Older history was added to the model: keep it in the window, as the user asked for it. */
  extend(added: number): void {
    this.#size += added
  }

  /**
   * The user looks at the newest bars again (the visible logical range, in window indices): true
   * when the window should shrink back to its base size.
   */
  shouldShrink(visibleFrom: number, held: number): boolean {
    return this.#size > this.#base && visibleFrom > held - this.#base / 2
  }

  reset(): void {
    this.#size = this.#base
  }
}
