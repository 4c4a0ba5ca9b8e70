/**
 * The replay feed: the Feed of history mode. Each subscribed channel gets a source reading stored
 * history ahead of the playhead (channel-sources.ts); every playhead tick lets each source emit
 * what the playhead passed, to the same handlers a live event would reach. A seek reloads the
 * views, which subscribe again and so start fresh sources at the new playhead.
 */
import type { TimeControl } from '../app/time-control.ts'
import type { Feed } from '../data/feed.ts'
import type { LiveHandler } from '../data/live-socket.ts'
import type { LiveEvent } from '../data/types.ts'
import { planFor, sourceKey } from './channel-sources.ts'
import { WindowedSource } from './windowed-source.ts'

interface Entry {
  source: WindowedSource
  channels: number
}

export class ReplayFeed implements Feed {
  readonly mode = 'replay'
  readonly #time: TimeControl
  readonly #handlers = new Map<string, Set<LiveHandler>>()
  readonly #sources = new Map<string, Entry>()
  readonly #stopTicks: () => void

  constructor(time: TimeControl) {
    this.#time = time
    this.#stopTicks = time.on('change', ({ state, reason }) => {
      if (reason === 'tick' && state.mode === 'history') this.#advance(state.at, state.speed)
    })
  }

  now(): number {
    return this.#time.now()
  }

  subscribe(channel: string, handler: LiveHandler): () => void {
    let handlers = this.#handlers.get(channel)
    if (handlers === undefined) {
      handlers = new Set()
      this.#handlers.set(channel, handlers)
      this.#retain(channel)
    }
    handlers.add(handler)
    return () => {
      const set = this.#handlers.get(channel)
      if (set === undefined || !set.delete(handler) || set.size > 0) return
      this.#handlers.delete(channel)
      this.#release(channel)
    }
  }

  dispose(): void {
    this.#stopTicks()
    for (const entry of this.#sources.values()) entry.source.dispose()
    this.#sources.clear()
    this.#handlers.clear()
  }

  #retain(channel: string): void {
    const key = sourceKey(channel)
    const existing = this.#sources.get(key)
    if (existing !== undefined) {
      existing.channels++
      return
    }
    const state = this.#time.state
    if (state.mode !== 'history') return
    const plan = planFor(channel, state.at)
    if (plan === undefined) return
    const source = new WindowedSource({
      fetch: plan.fetch,
      start: plan.start,
      end: state.to,
      span: plan.span,
      emit: event => this.#dispatch(event)
    })
    this.#sources.set(key, { source, channels: 1 })
    // Start reading at once (not at the next tick), so a paused playhead still has its look-ahead.
    queueMicrotask(() => source.advance(state.at, state.speed))
  }

  #release(channel: string): void {
    const key = sourceKey(channel)
    const entry = this.#sources.get(key)
    if (entry === undefined || --entry.channels > 0) return
    entry.source.dispose()
    this.#sources.delete(key)
  }

  #dispatch(event: LiveEvent): void {
    for (const handler of this.#handlers.get(event.channel) ?? []) handler(event)
  }

  #advance(at: number, speed: number): void {
    for (const { source } of this.#sources.values()) source.advance(at, speed)
  }
}
