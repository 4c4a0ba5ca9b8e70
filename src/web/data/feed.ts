/**
 * Where a view's updates come from. Views never ask whether they are live: they read a snapshot as
 * of `feed.now()` and then subscribe to channels, by the live protocol's names, on the feed of the
 * current mode. The live feed is the WebSocket; the replay feed (replay/replay-feed.ts) turns stored
 * history into the same events as the playhead moves.
 */
import { type Interval } from '../../contract/vocabulary.ts'
import { intervalMs, toIso } from '../lib/time.ts'
import type { LiveHandler, LiveSocket } from './live-socket.ts'

export interface Feed {
  readonly mode: 'live' | 'replay'
  /** The moment shown: the wall clock, or the playhead. */
  now(): number
  subscribe(channel: string, handler: LiveHandler): () => void
}

export class LiveFeed implements Feed {
  readonly mode = 'live'
  readonly #socket: LiveSocket

  constructor(socket: LiveSocket) {
    this.#socket = socket
  }

  now(): number {
    return Date.now()
  }

  subscribe(channel: string, handler: LiveHandler): () => void {
    return this.#socket.subscribe(channel, handler)
  }
}

/**
 * The boundary between a replayed view's snapshot and the events the replay feed will emit: for a
 * series, buckets that have not closed by `at` come as events when they close (so a candle never
 * shows its future); for timestamped items, anything after `at`.
 */
export function replayBoundary(at: number, interval?: Interval): number {
  return interval === undefined ? at : at - intervalMs[interval] + 1
}

/** The `to` of a snapshot read: none when live (the newest data), the replay boundary otherwise. */
export function snapshotTo(feed: Feed, interval?: Interval): string | undefined {
  return feed.mode === 'live' ? undefined : toIso(replayBoundary(feed.now(), interval))
}
