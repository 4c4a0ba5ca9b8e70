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
import { RUN_ID_STRIDE, type ReplayRun, beginReplayRun } from './replay-state.ts'

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
  /**
   * Older synthetic history before that, as candles only, for REST OHLC (default 740 days: what
   * Kraken keeps of daily candles; minutes for the last 8 days, hours for 32).
   */
  olderHistoryDays?: number
  seed?: number
  host?: string
  krakenPort?: number
  feedsPort?: number
  /** Start the feed server too (default true). */
  feeds?: boolean
  heartbeatMs?: number
  /**
   * A folder that makes restarts continue the previous run (replay-state.ts): later trade ids, the
   * last prices, history only for the time away. Without it every start is the same first run.
   */
  stateDir?: string
}

/** Trades the replay's fake Kraken keeps per symbol (about 2.5 MB each): its memory stays flat. */
const REPLAY_TRADES_PER_SYMBOL = 10_000

/** How often a run saves its prices (a crash loses at most this much continuity, never ids). */
const SAVE_EVERY_MS = 5_000

export interface ReplaySources {
  /** 1 for the first run in the state folder (or without one), then 2, 3, … */
  run: number
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

function historyMinutes(options: ReplayOptions, run: ReplayRun | undefined): number {
  const wanted = options.historyMinutes ?? 60
  // A later run fills only the time it was away: the earlier run already produced the rest.
  return run?.awayMs === undefined ? wanted : Math.min(wanted, run.awayMs / 60_000)
}

function olderHistoryDays(options: ReplayOptions, run: ReplayRun | undefined): number {
  const wanted = options.olderHistoryDays ?? 740
  if (run?.awayMs === undefined) return wanted
  // A later run's older history covers the rest of the time it was away, starting at the prices the
  // earlier run stopped at.
  const trades = historyMinutes(options, run) * 60_000
  return Math.max(0, Math.min(wanted, (run.awayMs - trades) / 86_400_000))
}

export async function startReplaySources(options: ReplayOptions = {}): Promise<ReplaySources> {
  const speed = options.speed ?? 1
  const run = options.stateDir === undefined ? undefined : await beginReplayRun(options.stateDir)
  const idOffset = ((run?.run ?? 1) - 1) * RUN_ID_STRIDE
  const seed = options.seed ?? (run === undefined ? undefined : 20_251_125 + run.run - 1)
  const synthetic =
    options.market === 'recorded'
      ? undefined
      : new SyntheticMarket({
          symbols: options.symbols ?? ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD', 'ADA/USD', 'DOGE/USD'],
          speed,
          historyMinutes: historyMinutes(options, run),
          olderHistoryDays: olderHistoryDays(options, run),
          // Its prefilled history (under 30 trades a minute), and enough for gap fills (about an hour of
          // BTC/USD at speed 1, minutes at 10), without growing all day.
          maxTradesPerSymbol: Math.max(REPLAY_TRADES_PER_SYMBOL, historyMinutes(options, run) * 30),
          idOffset,
          startMids: run?.mids ?? {},
          ...(seed === undefined ? {} : { seed })
        })
  const market: MarketSource =
    synthetic ??
    RecordedMarket.fromFile(resolveRecording(options.recording ?? defaultRecording), { speed, idOffset })
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
  const save = (): Promise<void> =>
    run?.save(synthetic?.mids() ?? {}).catch(() => undefined) ?? Promise.resolve()
  const saver = run === undefined ? undefined : setInterval(() => void save(), SAVE_EVERY_MS)
  saver?.unref()
  return {
    run: run?.run ?? 1,
    kraken: { wsUrl: kraken.wsUrl, restUrl: kraken.restUrl, symbols: market.symbols, server: kraken },
    feeds: feedServer?.feeds ?? [],
    feedServer,
    close: async () => {
      clearInterval(saver)
      market.stop()
      await save()
      await Promise.all([kraken.close(), feedServer?.close()])
    }
  }
}
