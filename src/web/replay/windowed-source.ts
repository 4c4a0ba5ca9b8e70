/**
 * Stored history turned into a stream: a source reads its data in time windows ahead of the
 * playhead (never the whole range at once: a month of trades does not fit in a tab) and emits each
 * item once the playhead passes its time, in time order. Reading runs ahead by a look-ahead that
 * grows with the replay speed, so playback rarely waits for the network.
 */
import type { LiveEvent } from '../data/types.ts'

export interface Timed {
  /** When the item becomes visible (ms): a trade's time, a candle's close. */
  at: number
  event: LiveEvent
}

export interface WindowResult {
  items: Timed[]
  /** How far (ms, exclusive) the window's data is now known. */
  reached: number
}

/** Reads the items in [from, to) (or a prefix of it, saying how far it got). */
export type WindowFetcher = (from: number, to: number, signal: AbortSignal) => Promise<WindowResult>

export interface WindowedSourceOptions {
  fetch: WindowFetcher
  /** Where reading starts (ms). */
  start: number
  /** Where the replayed range ends (ms). */
  end: number
  /** Preferred window length (ms). */
  span: number
  emit: (event: LiveEvent) => void
}

const MIN_LOOKAHEAD_MS = 60_000
const LOOKAHEAD_SECONDS = 20
const RETRY_MS = 3_000

export class WindowedSource {
  readonly #options: WindowedSourceOptions
  readonly #abort = new AbortController()
  #queue: Timed[] = []
  #loadedUntil: number
  #loading = false
  #retryAfter = 0

  constructor(options: WindowedSourceOptions) {
    this.#options = options
    this.#loadedUntil = options.start
  }

  /** Emits what the playhead has passed and reads ahead of it. */
  advance(at: number, speed: number): void {
    let emitted = 0
    while (emitted < this.#queue.length && (this.#queue[emitted]?.at ?? Infinity) <= at) emitted++
    if (emitted > 0) {
      const due = this.#queue.slice(0, emitted)
      this.#queue = this.#queue.slice(emitted)
      for (const item of due) this.#options.emit(item.event)
    }
    const lookahead = Math.max(MIN_LOOKAHEAD_MS, speed * LOOKAHEAD_SECONDS * 1000)
    if (this.#loadedUntil < Math.min(this.#options.end, at + lookahead)) this.#readAhead(at, speed)
  }

  dispose(): void {
    this.#abort.abort()
  }

  #readAhead(at: number, speed: number): void {
    if (this.#loading || this.#abort.signal.aborted || Date.now() < this.#retryAfter) return
    this.#loading = true
    const from = this.#loadedUntil
    const to = Math.min(this.#options.end, from + this.#options.span)
    this.#options
      .fetch(from, to, this.#abort.signal)
      .then(result => {
        this.#loadedUntil = Math.max(from + 1, result.reached)
        this.#queue.push(...result.items)
        this.#queue.sort((a, b) => a.at - b.at)
      })
      .catch(() => {
        // The API is away or refused: try this window again shortly; the shell shows the outage.
        this.#retryAfter = Date.now() + RETRY_MS
      })
      .finally(() => {
        this.#loading = false
        if (!this.#abort.signal.aborted) this.advance(at, speed)
      })
  }
}
