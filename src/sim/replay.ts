/**
 * Replay mode's programmatic entry: starts the fake Kraken (synthetic or recorded market) and the
 * fake feed server in this process and returns where they listen, so the unchanged producers can
 * be pointed at them. Used by the produce role (SOURCE_MODE=replay), `crypto-viz sim`, backfill
 * demos, tests, and the embedded `npm start --replay` mode.
 */
import { existsSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type FakeKraken, startFakeKraken } from './kraken/fake-kraken-server.ts'
import type { MarketSource } from './kraken/market.ts'
import { RecordedMarket } from './kraken/recorded-market.ts'
import { SyntheticMarket } from './kraken/synthetic-market.ts'
import { type FakeFeeds, type FeedEndpoint, startFakeFeeds } from './news/fake-feed-server.ts'

export interface ReplayOptions {
  /** 1 = real time; synthetic activity or recorded pacing multiplier. */
  speed?: number
  market?: 'synthetic' | 'recorded'
  /** Pairs of the synthetic market (a recorded session brings its own). */
  symbols?: readonly string[]
  /** NDJSON session for the recorded market (relative paths also resolve against the repository). */
  recording?: string
  /** Synthetic history before now, for REST gap fills and backfills (default 60 min). */
  historyMinutes?: number
  seed?: number
  host?: string
  krakenPort?: number
  feedsPort?: number
  /** Start the feed server too (default true). */
  feeds?: boolean
  heartbeatMs?: number
}

export interface ReplaySources {
  kraken: { wsUrl: string; restUrl: string; symbols: readonly string[]; server: FakeKraken }
  feeds: readonly FeedEndpoint[]
  feedServer: FakeFeeds | undefined
  close(): Promise<void>
}

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url))

export const defaultRecording = 'fixtures/kraken/recorded/btc-usdt-2025-11-10.ndjson'

export function resolveRecording(path: string): string {
  if (isAbsolute(path) || existsSync(path)) return resolve(path)
  return resolve(repositoryRoot, path)
}

export async function startReplaySources(options: ReplayOptions = {}): Promise<ReplaySources> {
  const speed = options.speed ?? 1
  const market: MarketSource =
    options.market === 'recorded'
      ? RecordedMarket.fromFile(resolveRecording(options.recording ?? defaultRecording), { speed })
      : new SyntheticMarket({
          symbols: options.symbols ?? ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD', 'ADA/USD', 'DOGE/USD'],
          speed,
          historyMinutes: options.historyMinutes ?? 60,
          ...(options.seed === undefined ? {} : { seed: options.seed })
        })
  const host = options.host ?? '127.0.0.1'
  const kraken = await startFakeKraken({
    market,
    host,
    ...(options.krakenPort === undefined ? {} : { port: options.krakenPort }),
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs })
  })
  let feedServer: FakeFeeds | undefined
  try {
    if (options.feeds !== false) {
      feedServer = await startFakeFeeds({
        host,
        shiftDates: true,
        ...(options.feedsPort === undefined ? {} : { port: options.feedsPort })
      })
    }
  } catch (error) {
    await kraken.close()
    throw error
  }
  market.start()
  return {
    kraken: { wsUrl: kraken.wsUrl, restUrl: kraken.restUrl, symbols: market.symbols, server: kraken },
    feeds: feedServer?.feeds ?? [],
    feedServer,
    close: async () => {
      market.stop()
      await Promise.all([kraken.close(), feedServer?.close()])
    }
  }
}
