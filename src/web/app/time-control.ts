/**
 * The global time dimension: either live ("now", fed by the WebSocket) or a stored range
 * [from, to] with a playhead `at` that stays put or plays forward at a chosen speed. Every view
 * reads its snapshot as of `now()` and its updates from the feed of the current mode, so moving
 * back in time is the same code path as watching live.
 */
import { Emitter } from '../lib/emitter.ts'

export const Speeds = [1, 10, 60, 300, 1000] as const

export type TimeState =
  | { mode: 'live' }
  | { mode: 'history'; from: number; to: number; at: number; playing: boolean; speed: number }

/** Why the state changed: views reload on `mode` and `seek`; `tick` is the playhead moving on. */
export type TimeChange = 'mode' | 'seek' | 'tick' | 'play' | 'speed'

const TICK_MS = 100

export class TimeControl extends Emitter<{ change: { state: TimeState; reason: TimeChange } }> {
  #state: TimeState = { mode: 'live' }
  #timer: number | undefined
  #lastTick = 0

  get state(): TimeState {
    return this.#state
  }

  /** The moment the views show: the wall clock when live, the playhead otherwise. */
  now(): number {
    return this.#state.mode === 'live' ? Date.now() : this.#state.at
  }

  goLive(): void {
    this.#stopTimer()
    if (this.#state.mode === 'live') return
    this.#state = { mode: 'live' }
    this.emit('change', { state: this.#state, reason: 'mode' })
  }

  /** Moves to a stored range, paused at `at` (default: its end). */
  goBack(from: number, to: number, at = to): void {
    const speed = this.#state.mode === 'history' ? this.#state.speed : 60
    const wasHistory = this.#state.mode === 'history'
    this.#stopTimer()
    const end = Math.max(from + 60_000, Math.min(to, Date.now()))
    this.#state = { mode: 'history', from, to: end, at: clamp(at, from, end), playing: false, speed }
    this.emit('change', { state: this.#state, reason: wasHistory ? 'seek' : 'mode' })
  }

  seek(at: number): void {
    if (this.#state.mode !== 'history') return
    this.#state = { ...this.#state, at: clamp(at, this.#state.from, this.#state.to) }
    this.emit('change', { state: this.#state, reason: 'seek' })
  }

  play(): void {
    if (this.#state.mode !== 'history' || this.#state.playing) return
    // Playing from the end starts over from the beginning, as a media player does.
    const at = this.#state.at >= this.#state.to ? this.#state.from : this.#state.at
    const restarted = at !== this.#state.at
    this.#state = { ...this.#state, at, playing: true }
    if (restarted) this.emit('change', { state: this.#state, reason: 'seek' })
    this.emit('change', { state: this.#state, reason: 'play' })
    this.#lastTick = performance.now()
    this.#timer = window.setInterval(() => this.#tick(), TICK_MS)
  }

  pause(): void {
    if (this.#state.mode !== 'history' || !this.#state.playing) return
    this.#stopTimer()
    this.#state = { ...this.#state, playing: false }
    this.emit('change', { state: this.#state, reason: 'play' })
  }

  setSpeed(speed: number): void {
    if (this.#state.mode !== 'history') return
    this.#state = { ...this.#state, speed }
    this.emit('change', { state: this.#state, reason: 'speed' })
  }

  #tick(): void {
    if (this.#state.mode !== 'history') return
    const now = performance.now()
    const at = Math.min(this.#state.to, this.#state.at + (now - this.#lastTick) * this.#state.speed)
    this.#lastTick = now
    this.#state = { ...this.#state, at }
    this.emit('change', { state: this.#state, reason: 'tick' })
    if (at >= this.#state.to) this.pause()
  }

  #stopTimer(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value))
}
