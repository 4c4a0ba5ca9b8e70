/**
 * `crypto-viz sim`: the fake Kraken (WebSocket v2 + REST) and the fake feed server, standalone on
 * given ports, for demos and other components' tests. Prints where they listen, the variables that
 * point a producer at them, and how to trigger faults.
 */
import { startReplaySources } from '../sim/replay.ts'
import type { Command } from './command.ts'
import { flagValue, marketFlag, portFlag, speedFlag } from './source-flags.ts'
import { integer, list } from '../config/parsers.ts'
import { krakenSymbol } from '../config/source-parsers.ts'

export const simCommand: Command = {
  name: 'sim',
  summary: 'run the fake Kraken (WS v2 + REST) and fake news feeds standalone, with fault switches',
  usage:
    'crypto-viz sim [--kraken-port 0] [--feeds-port 0] [--host 127.0.0.1] [--speed N] [--market synthetic|recorded] [--symbols A/B,C/D] [--history-minutes 60]',
  options: {
    'kraken-port': { type: 'string' },
    'feeds-port': { type: 'string' },
    host: { type: 'string' },
    speed: { type: 'string' },
    market: { type: 'string' },
    symbols: { type: 'string' },
    'history-minutes': { type: 'string' }
  },
  async run({ config, flags, out, signal }) {
    const krakenPort = portFlag(flags, 'kraken-port')
    const feedsPort = portFlag(flags, 'feeds-port')
    const speed = speedFlag(flags) ?? config.sources.replay.speed
    const symbols = flagValue(flags, 'symbols', list(krakenSymbol()).parse) ?? config.kraken.symbols
    const historyMinutes = flagValue(flags, 'history-minutes', integer(0, 10_080).parse) ?? 60
    const host = typeof flags.host === 'string' ? flags.host : '127.0.0.1'
    const sim = await startReplaySources({
      speed,
      market: marketFlag(flags) ?? config.sources.replay.market,
      recording: config.sources.replay.recording,
      symbols,
      historyMinutes,
      host,
      ...(krakenPort === undefined ? {} : { krakenPort }),
      ...(feedsPort === undefined ? {} : { feedsPort })
    })
    const feeds = sim.feeds.map(f => `${f.name}=${f.url}`).join(',')
    out(
      `fake Kraken WebSocket v2  ${sim.kraken.wsUrl}   (pairs: ${sim.kraken.symbols.join(', ')}; speed ${speed})`
    )
    out(
      `fake Kraken REST          ${sim.kraken.restUrl}/0/public/{Trades,OHLC,Ticker,AssetPairs,SystemStatus,Time}`
    )
    out(
      `fake news feeds           ${sim.feedServer?.baseUrl ?? '-'}/feeds/<source>.xml  (${sim.feeds.length} sources; broken ones under /feeds/broken/, /status/403, /status/429, /slow)`
    )
    out('')
    out('point a producer at them:')
    out(
      `  KRAKEN_WS_URL=${sim.kraken.wsUrl} KRAKEN_REST_URL=${sim.kraken.restUrl} SYMBOLS=${sim.kraken.symbols.join(',')} \\`
    )
    out(`  NEWS_FEEDS=${feeds} crypto-viz produce`)
    out('')
    out('faults (POST):')
    for (const fault of [
      'drop?code=1006&refuseMs=5000',
      'silence',
      'heartbeat-only',
      'corrupt-checksum?symbol=BTC/USD',
      'rest-rate-limit?count=3',
      'ws-rate-limit?count=1',
      'maintenance?on=true',
      'reject?symbols=ETH/USD',
      'malformed',
      'reset'
    ]) {
      out(`  curl -X POST '${sim.kraken.restUrl}/_sim/faults/${fault}'`)
    }
    out(`status: curl ${sim.kraken.restUrl}/_sim/status     stop: Ctrl-C`)
    await new Promise<void>(resolve => signal.addEventListener('abort', () => resolve(), { once: true }))
    await sim.close()
    return 0
  }
}
