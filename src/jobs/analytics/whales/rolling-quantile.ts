/**
 * An exact rolling quantile of the last N values in arrival order, kept in a few dozen numbers so
 * it can be committed with every batch (job_state) and a restart decides exactly as before.
 *
 * A high quantile of a window is one of its k largest values (k = N·(1 − q) + 1, e.g. 6 for
 * p99.9 of 5,000). A value can be among the k largest of some window to come only while fewer than
 * k values at least as large arrived after it (every later value stays in the window as long as it
 * does), so only those "candidates" are kept, each with that count. For values in random order
 * that is about k·ln(N/k) of them (≈ 40 here). A steadily falling series keeps every value a
 * candidate; past MAX_CANDIDATES the oldest are forgotten, which can only lower the quantile.
 * Deterministic: the same values in the same order give the same state and the same answers.
 */

/** [arrival index, value, later values at least as large]. */
export type Candidate = [index: number, value: number, dominatedBy: number]

export interface RollingQuantileState {
  /** Values seen so far (the next arrival index). */
  seen: number
  candidates: Candidate[]
}

const MAX_CANDIDATES = 4_096

/** Up to this rank, value() selects the k largest in one pass instead of sorting (k = 6 for p99.9 of 5,000). */
const SELECT_UP_TO = 64

/** value()'s scratch: the largest candidates so far, largest first (reused: value() runs per trade). */
const largest: number[] = []

/** Keeps `value` in `largest` if it is among the k largest offered so far (an equal value changes nothing). */
function offer(value: number, k: number): void {
  let i = largest.length
  if (i === k) {
    if (!(value > (largest[k - 1] as number))) return
    i = k - 1
  }
  while (i > 0 && (largest[i - 1] as number) < value) {
    largest[i] = largest[i - 1] as number
    i--
  }
  largest[i] = value
}

/** Nearest-rank position, counted from the largest: the k-th largest of m values is the q-quantile. */
export function rankFromTop(q: number, m: number): number {
  return m - Math.ceil(q * m - 1e-9) + 1
}

export class RollingQuantile {
  readonly #q: number
  readonly #window: number
  readonly #keep: number
  #seen: number
  #candidates: Candidate[]

  constructor(q: number, window: number, state?: RollingQuantileState) {
    this.#q = q
    this.#window = window
    this.#keep = rankFromTop(q, window)
    this.#seen = state?.seen ?? 0
    this.#candidates = (state?.candidates ?? []).map(c => [c[0], c[1], c[2]])
  }

  /** Values in the window now. */
  get size(): number {
    return Math.min(this.#seen, this.#window)
  }

  /**
   * The q-quantile of the window (nearest rank), or undefined while the window holds fewer values
   * than the quantile needs to mean anything (1 / (1 − q): 1,000 for p99.9).
   */
  value(): number | undefined {
    const k = this.#rank()
    if (k === undefined) return undefined
    if (k > SELECT_UP_TO) return this.#candidates.map(c => c[1]).sort((a, b) => b - a)[k - 1]
    largest.length = 0
    for (const candidate of this.#candidates) offer(candidate[1], k)
    return largest[k - 1]
  }

  /** The rank from the top that value() answers with, or undefined when it has no answer. */
  #rank(): number | undefined {
    const m = this.size
    if (m === 0 || m < Math.ceil(1 / (1 - this.#q) - 1e-9)) return undefined
    const k = rankFromTop(this.#q, m)
    return this.#candidates.length < k ? undefined : k
  }

  add(value: number): void {
    this.#add(value, undefined)
  }

  /** value(), then add(value), in one pass over the candidates (the whale rule does both per trade). */
  valueThenAdd(value: number): number | undefined {
    const k = this.#rank()
    if (k === undefined || k > SELECT_UP_TO) {
      const before = this.value()
      this.#add(value, undefined)
      return before
    }
    largest.length = 0
    this.#add(value, k)
    return largest[k - 1]
  }

  /** Adds `value`; with `k`, offers every candidate before it to `largest` on the way. */
  #add(value: number, k: number | undefined): void {
    const candidates = this.#candidates
    const oldest = this.#seen + 1 - this.#window
    // Filtered in place: this runs for every trade.
    let kept = 0
    for (const candidate of candidates) {
      if (k !== undefined) offer(candidate[1], k)
      if (candidate[0] < oldest) continue
      if (value >= candidate[1]) candidate[2]++
      if (candidate[2] < this.#keep) candidates[kept++] = candidate
    }
    candidates.length = kept
    candidates.push([this.#seen, value, 0])
    this.#seen++
    if (candidates.length > MAX_CANDIDATES) candidates.splice(0, candidates.length - MAX_CANDIDATES)
  }

  /** Values kept (at most MAX_CANDIDATES, whatever the window). */
  get candidates(): number {
    return this.#candidates.length
  }

  toJSON(): RollingQuantileState {
    return { seen: this.#seen, candidates: this.#candidates.map(c => [c[0], c[1], c[2]]) }
  }
}
