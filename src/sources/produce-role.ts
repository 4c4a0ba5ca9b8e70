/**
 * The `produce` role: Kraken market data and news feeds into the bus through one bounded buffer.
 * In replay mode (SOURCE_MODE=replay) it has the fake Kraken and feed servers started in-process
 * (by the `replay` starter the composition root gives it: a stage does not import the fakes) and
 * points the same clients at them; records then carry the header `x-source-mode: replay`, so
 * replayed data can never pass for live data downstream. Stops in the order that loses nothing:
 * sources first, then the buffer drains into the bus, then the news seen-set is written.
 */
import type { Config, FeedSpec } from '../config/config.ts'
import { CryptoVizError, ErrorCodes } from '../errors/errors.ts'
import type { Role, RoleContext, RunningRole } from '../role/role.ts'
import { historyCheckpointPath } from './kraken/history-checkpoint.ts'
import { HISTORY_CHECK, HistoryFill } from './kraken/history-fill.ts'
import { MarketProducer, type MarketTopics } from './kraken/market-producer.ts'
import { NewsProducer } from './news/news-producer.ts'
import { createProducerMetrics } from './producer-metrics.ts'
import { registerProducerHealth } from './producer-health.ts'
import { BufferedPublisher } from './publish/buffered-publisher.ts'

/** Where the sources are, when the caller already started (fake) servers itself. */
export interface SourceEndpoints {
  krakenWsUrl: string
  krakenRestUrl: string
  /** Pairs to subscribe (a recorded session serves its own). */
  symbols?: readonly string[]
  feeds?: readonly FeedSpec[]
  /** Article pages: where to connect for an article URL, and the loopback hosts that may serve them. */
  pages?: { route: (url: URL) => URL; allowPrivate: readonly string[] }
}

/** Sources started in this process (replay's fake servers), and how to stop them. */
export interface StartedSources {
  endpoints: SourceEndpoints
  close(): Promise<void>
}

export interface ProduceRoleOptions {
  endpoints?: SourceEndpoints
  /** Starts replay's sources when SOURCE_MODE=replay and no `endpoints` are given. */
  replay?: (config: Config) => Promise<StartedSources>
  /** Topic names (tests); default the declared ones. */
  topics?: { market?: MarketTopics; article?: string }
  /** How long stop() lets the buffer drain into the bus (default 15 s). */
  drainTimeoutMs?: number
  /** How long a replay waits for its history before playing live (default 30 s; it goes on after). */
  replayHistoryWaitMs?: number
}

/** Resolves when `promise` settles or `ms` pass, whichever comes first. */
async function atMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([promise, new Promise<void>(resolve => (timer = setTimeout(resolve, ms)))])
  clearTimeout(timer)
}

async function startReplay(options: ProduceRoleOptions, config: Config): Promise<StartedSources> {
  if (options.replay === undefined)
    throw new CryptoVizError(
      ErrorCodes.USAGE,
      'SOURCE_MODE=replay, but this produce role was given no replay sources: run it with `crypto-viz produce` or `crypto-viz all`, which start them'
    )
  return options.replay(config)
}

export function produceRole(options: ProduceRoleOptions = {}): Role {
  return {
    name: 'produce',
    async start(context: RoleContext): Promise<RunningRole> {
      const { config, log, bus, health } = context
      const replaying = config.sources.mode === 'replay'
      const replay =
        replaying && options.endpoints === undefined ? await startReplay(options, config) : undefined
      const endpoints = options.endpoints ?? replay?.endpoints
      if (replaying) log.warn({ endpoints }, 'REPLAY MODE: producing from fake servers, not the live market')
      const metrics = createProducerMetrics(context.metrics)
      const publisher = new BufferedPublisher({
        bus,
        metrics,
        log,
        maxRecords: config.sources.bufferMaxRecords,
        ...(replaying ? { headers: { 'x-source-mode': 'replay' } } : {})
      })
      const market = config.sources.enabled.includes('kraken')
        ? new MarketProducer({
            kraken: {
              ...config.kraken,
              ...(endpoints === undefined
                ? {}
                : {
                    wsUrl: endpoints.krakenWsUrl,
                    restUrl: endpoints.krakenRestUrl,
                    symbols: endpoints.symbols ?? config.kraken.symbols
                  }),
              // The replay's fake Kraken is in this process and has no rate limit: history in bulk.
              ...(replay === undefined ? {} : { restMinIntervalMs: 0 })
            },
            publisher,
            metrics,
            log,
            ...(options.topics?.market === undefined ? {} : { topics: options.topics.market })
          })
        : undefined
      const news = config.sources.enabled.includes('news')
        ? await NewsProducer.create({
            news: { ...config.news, feeds: endpoints?.feeds ?? config.news.feeds },
            dataDir: config.dataDir,
            publisher,
            metrics,
            log,
            // Replayed feeds are local and static: no need to spread the first polls over 10 s.
            ...(replaying ? { tuning: { startSpreadMs: 500 } } : {}),
            ...(endpoints?.pages === undefined ? {} : { pages: endpoints.pages }),
            ...(options.topics?.article === undefined ? {} : { topic: options.topics.article })
          })
        : undefined
      const history =
        market === undefined || config.kraken.historyIntervals.length === 0
          ? undefined
          : new HistoryFill({
              rest: market.rest,
              publisher,
              symbols: endpoints?.symbols ?? config.kraken.symbols,
              intervals: config.kraken.historyIntervals,
              checkpointPath: historyCheckpointPath(config.dataDir),
              log,
              ...(options.topics?.market === undefined ? {} : { topic: options.topics.market.ohlc })
            })
      if (history !== undefined) health.register(HISTORY_CHECK, () => history.check(), { critical: false })
      const unregister = registerProducerHealth(health, {
        publisher,
        capacity: config.sources.bufferMaxRecords,
        mode: replaying ? 'replay' : 'live',
        ...(market === undefined ? {} : { market }),
        ...(news === undefined ? {} : { news })
      })
      // Recent history first: a replay has it in a moment (its fake Kraken is local), so every view
      // looks like a market before the live stream starts; live, it loads beside the stream.
      const filling = history?.run()
      if (replaying && filling !== undefined) await atMost(filling, options.replayHistoryWaitMs ?? 30_000)
      market?.start()
      news?.start()
      return {
        async stop() {
          const filled = history?.stop()
          await Promise.all([market?.stop(), news?.stop()])
          await publisher.close(options.drainTimeoutMs ?? 15_000)
          await filled
          await news?.close()
          await replay?.close()
          unregister()
          health.unregister(HISTORY_CHECK)
        }
      }
    }
  }
}
