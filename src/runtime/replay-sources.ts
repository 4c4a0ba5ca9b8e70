/**
 * Replay mode's sources for the produce role: the fake Kraken and feed servers (src/sim) started in
 * this process. Wired here, in the composition root, so that no stage imports the fakes.
 */
import { join } from 'node:path'
import type { Config } from '../config/config.ts'
import { type ReplaySources, startReplaySources } from '../sim/replay.ts'
import type { SourceEndpoints, StartedSources } from '../sources/produce-role.ts'

export function endpointsOf(replay: ReplaySources): SourceEndpoints {
  return {
    krakenWsUrl: replay.kraken.wsUrl,
    krakenRestUrl: replay.kraken.restUrl,
    symbols: replay.kraken.symbols,
    feeds: replay.feeds,
    // Replay serves the articles' pages too, from the feed server's site farm.
    ...(replay.feedServer === undefined
      ? {}
      : { pages: { route: replay.feedServer.route, allowPrivate: [replay.feedServer.host] } })
  }
}

export async function startReplay(config: Config): Promise<StartedSources> {
  const replay = await startReplaySources({
    speed: config.sources.replay.speed,
    market: config.sources.replay.market,
    recording: config.sources.replay.recording,
    symbols: config.kraken.symbols,
    feeds: config.sources.enabled.includes('news'),
    // Restarts continue the previous run (later trade ids, the last prices) instead of replaying it.
    stateDir: join(config.dataDir, 'replay')
  })
  return { endpoints: endpointsOf(replay), close: () => replay.close() }
}
