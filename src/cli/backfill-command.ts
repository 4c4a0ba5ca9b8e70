/**
 * `crypto-viz backfill`: history for one symbol and time range from Kraken REST into the same topics
 * as live data, with a progress bar on stderr. Resumable: the checkpoint in DATA_DIR/backfill
 * makes the same command continue where an interrupted run stopped (--restart ignores it).
 */
import { createBus } from '../bus/create-bus.ts'
import { krakenSymbol } from '../config/source-parsers.ts'
import { uniqueList, oneOf } from '../config/parsers.ts'
import { CryptoVizError, ErrorCodes } from '../errors/errors.ts'
import { startReplaySources, type ReplaySources } from '../sim/replay.ts'
import { type BackfillPart, backfill } from '../sources/kraken/backfill.ts'
import { checkpointPath } from '../sources/kraken/backfill-checkpoint.ts'
import { KrakenRest } from '../sources/kraken/rest-client.ts'
import type { Command } from './command.ts'
import { progressBar } from './progress-bar.ts'
import { flagValue } from './source-flags.ts'
import { parseTimeArg } from './time-arg.ts'
import { integerOneOf } from '../config/parsers.ts'

export const backfillCommand: Command = {
  name: 'backfill',
  summary: 'load history (REST Trades and OHLC) for a symbol and time range into Kafka; resumable',
  usage:
    'crypto-viz backfill --symbol BTC/USD --from 2025-11-10T00:00Z [--to now] [--what trades,ohlc] [--interval 1] [--restart] [--replay]',
  options: {
    symbol: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    what: { type: 'string' },
    interval: { type: 'string' },
    restart: { type: 'boolean', default: false },
    replay: { type: 'boolean', default: false }
  },
  async run({ config, log, flags, out, signal }) {
    const symbol = flagValue(flags, 'symbol', krakenSymbol().parse)
    if (symbol === undefined || typeof flags.from !== 'string') {
      throw new CryptoVizError(
        ErrorCodes.USAGE,
        `--symbol and --from are required\nusage: ${backfillCommand.usage}`
      )
    }
    const now = Date.now()
    const fromMs = parseTimeArg('from', flags.from, now)
    const toMs = Math.min(now, typeof flags.to === 'string' ? parseTimeArg('to', flags.to, now) : now)
    const parts = (flagValue(flags, 'what', uniqueList(oneOf('trades', 'ohlc')).parse) ?? [
      'trades',
      'ohlc'
    ]) as BackfillPart[]
    const interval =
      flagValue(flags, 'interval', integerOneOf(1, 5, 15, 30, 60, 240, 1440, 10080, 21600).parse) ??
      config.kraken.ohlcInterval
    if (!(fromMs < toMs)) {
      throw new CryptoVizError(
        ErrorCodes.BACKFILL_RANGE,
        `--from (${new Date(fromMs).toISOString()}) must be before --to (${new Date(toMs).toISOString()})`
      )
    }
    let replay: ReplaySources | undefined
    if (flags.replay === true) {
      replay = await startReplaySources({
        symbols: [symbol],
        feeds: false,
        historyMinutes: Math.min(10_080, Math.ceil((now - fromMs) / 60_000) + 1)
      })
    }
    const bus = await createBus(config, log)
    const bar = progressBar()
    const path = checkpointPath(config.dataDir, symbol, fromMs, toMs, parts)
    try {
      out(
        `backfilling ${symbol} ${parts.join('+')} from ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()}${replay ? ' (replay: fake Kraken)' : ''}`
      )
      out(`checkpoint: ${path}`)
      const result = await backfill({
        rest: new KrakenRest({
          baseUrl: replay?.kraken.restUrl ?? config.kraken.restUrl,
          minIntervalMs: replay === undefined ? config.kraken.restMinIntervalMs : 0,
          log,
          signal
        }),
        bus,
        symbol,
        fromMs,
        toMs,
        parts,
        interval,
        checkpointPath: path,
        restart: flags.restart === true,
        ...(replay === undefined ? {} : { headers: { 'x-source-mode': 'replay' } }),
        onProgress: p => bar.update(p.fraction, p.part, p.published),
        log,
        signal
      })
      bar.done(
        `done: ${result.trades} trades, ${result.candles} candles published${result.resumed ? ' (resumed from the checkpoint)' : ''}${result.malformed > 0 ? `, ${result.malformed} unreadable rows skipped` : ''}`
      )
      if (result.ohlcUnavailableBefore !== undefined) {
        out(
          `note: Kraken has no ${interval}-minute candles before ${result.ohlcUnavailableBefore} (it keeps 720); trades cover the whole range`
        )
      }
      return 0
    } catch (error) {
      if (signal.aborted) {
        bar.done('interrupted: run the same command again to resume from the checkpoint')
        return 130
      }
      throw error
    } finally {
      await bus.close()
      await replay?.close()
    }
  }
}
