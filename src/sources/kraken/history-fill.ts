/**
 * Recent history from the first second: at start-up the producer asks Kraken's REST OHLC for each
 * symbol and interval (Kraken keeps the 720 most recent candles of each: 12 h of 1m, 30 days of
 * 1h, about 2 years of 1d) and publishes them to `rawohlc`, like the exchange's own candles from
 * the WebSocket, so ingest stores them beside the candles the pipeline builds from trades (the API
 * prefers those where both exist). One request per series, interval by interval in the configured
 * order (the charts' default first), through the producer's REST client, which spaces calls within
 * Kraken's public rate limit and backs off when told to.
 *
 * Resumable and bounded: after each series the bus acknowledged, the checkpoint keeps Kraken's
 * `last`; the next start asks only for what came after it, and skips a series with nothing new yet.
 * A series that fails is reported and left for the next start; the others carry on, unless Kraken
 * could not be reached at all (the REST client gave up retrying): then the fill stops there rather
 * than retry every other series through the same outage.
 */
import type { Logger } from 'pino'
import type { BusRecord } from '../../bus/bus.ts'
import { TopicNames } from '../../schemas/topics.ts'
import { CryptoVizError, ErrorCodes, describeError, isCryptoVizError } from '../../errors/errors.ts'
import { nowIsoMicros } from '../../lib/time.ts'
import type { CheckResult } from '../../ops/health.ts'
import { ohlcCodec } from '../../schemas/index.ts'
import type { BufferedPublisher } from '../publish/buffered-publisher.ts'
import {
  type HistoryCheckpoint,
  readHistoryCheckpoint,
  seriesKey,
  writeHistoryCheckpoint
} from './history-checkpoint.ts'
import { ohlcFromRest } from './normalize.ts'
import type { KrakenRest } from './rest-client.ts'

export const HISTORY_CHECK = 'market-history'

export type HistoryState = 'waiting' | 'loading' | 'done' | 'stopped'

/** What the fill did so far: the health check's data, read by the terminal and the pipeline view. */
export interface HistoryProgress {
  state: HistoryState
  symbols: number
  /** Candle intervals in minutes, in the order they load. */
  intervals: number[]
  series: { total: number; done: number; skipped: number; failed: number }
  candles: number
  /** Candles per interval (minutes → count). */
  perInterval: Record<string, number>
  /** The series being fetched, e.g. "BTC/USD 1h". */
  current: string | null
  /** The last failure, for the terminal and the health detail. */
  lastError: string | null
  startedAt: string | null
  finishedAt: string | null
}

export interface HistoryFillOptions {
  rest: KrakenRest
  publisher: BufferedPublisher
  symbols: readonly string[]
  /** Minutes, in the order to load. */
  intervals: readonly number[]
  checkpointPath: string
  topic?: string
  log: Logger
  now?: () => number
}

export const intervalLabel = (minutes: number): string =>
  minutes % 1440 === 0 ? `${minutes / 1440}d` : minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`

/** Resolves once the bus acknowledged every record; rejects if the publisher dropped any. */
function publishAll(publisher: BufferedPublisher, records: readonly BusRecord[]): Promise<void> {
  if (records.length === 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    let pending = records.length
    let dropped = 0
    const done = (): void => {
      if (--pending > 0) return
      if (dropped === 0) resolve()
      else
        reject(
          new CryptoVizError(
            ErrorCodes.PRODUCER_BUFFER_FULL,
            `${dropped} of ${records.length} history candles were not published (the producer buffer is full or closing); the next start fetches them again`
          )
        )
    }
    for (const record of records)
      publisher.enqueue(record, outcome => {
        if (outcome === 'dropped') dropped++
        done()
      })
  })
}

export class HistoryFill {
  readonly #o: HistoryFillOptions
  readonly #log: Logger
  readonly #stop = new AbortController()
  readonly #progress: HistoryProgress
  #running: Promise<void> | undefined

  constructor(options: HistoryFillOptions) {
    this.#o = options
    this.#log = options.log.child({ component: 'history-fill' })
    this.#progress = {
      state: 'waiting',
      symbols: options.symbols.length,
      intervals: [...options.intervals],
      series: { total: options.symbols.length * options.intervals.length, done: 0, skipped: 0, failed: 0 },
      candles: 0,
      perInterval: {},
      current: null,
      lastError: null,
      startedAt: null,
      finishedAt: null
    }
  }

  progress(): HistoryProgress {
    return structuredClone(this.#progress)
  }

  /** Starts the fill (once); resolves when every series was tried or the fill was stopped. */
  run(): Promise<void> {
    this.#running ??= this.#run().catch((error: unknown) => {
      this.#log.error({ err: describeError(error) }, 'history fill stopped by an unexpected error')
      this.#progress.lastError = describeError(error)
      this.#finish('stopped')
    })
    return this.#running
  }

  /**
   * Asks the fill to stop and resolves once it has. A request in flight ends when the REST client's
   * own signal aborts (the market producer stops it), records waiting for the bus when the publisher
   * closes: stop those after calling this, then await it. What was acknowledged stays in the checkpoint.
   */
  stop(): Promise<void> {
    this.#stop.abort()
    return this.#running ?? Promise.resolve()
  }

  check(): CheckResult {
    const p = this.#progress
    const data = { ...this.progress() }
    const counted = `${p.series.done}/${p.series.total} series, ${p.candles} candles`
    if (p.state === 'loading')
      return {
        status: 'up',
        detail: `loading Kraken's OHLC: ${counted}${p.current ? ` (${p.current})` : ''}`,
        data
      }
    if (p.series.failed > 0)
      return {
        status: 'degraded',
        detail: `${p.series.failed} series not loaded (retried at the next start): ${p.lastError ?? 'unknown error'}; ${counted}`,
        data
      }
    return {
      status: 'up',
      detail: p.state === 'done' ? `loaded: ${counted}` : `${p.state}: ${counted}`,
      data
    }
  }

  async #run(): Promise<void> {
    const o = this.#o
    const p = this.#progress
    p.state = 'loading'
    p.startedAt = new Date((o.now ?? Date.now)()).toISOString()
    const checkpoint = await readHistoryCheckpoint(o.checkpointPath)
    this.#log.info(
      { symbols: o.symbols, intervals: o.intervals, resumed: Object.keys(checkpoint.series).length },
      "loading recent history from Kraken's OHLC"
    )
    let left = p.series.total
    for (const interval of o.intervals) {
      for (const symbol of o.symbols) {
        if (this.#stop.signal.aborted) return this.#finish('stopped')
        left--
        p.current = `${symbol} ${intervalLabel(interval)}`
        try {
          const published = await this.#series(symbol, interval, checkpoint)
          if (published === undefined) p.series.skipped++
          else {
            p.candles += published
            p.perInterval[String(interval)] = (p.perInterval[String(interval)] ?? 0) + published
          }
          p.series.done++
        } catch (error) {
          if (this.#stop.signal.aborted) return this.#finish('stopped')
          p.series.failed++
          p.lastError = `${p.current}: ${describeError(error)}`
          // Retries spent on an outage or a rate limit: the next series would only meet the same.
          const unreachable = isCryptoVizError(error) && error.retryable
          this.#log.warn(
            { symbol, interval, err: describeError(error), stopping: unreachable },
            unreachable
              ? 'Kraken REST not reachable: the history fill stops here; the next start tries again'
              : 'history series not loaded; the next start tries again'
          )
          if (unreachable) {
            p.series.failed += left
            this.#finish('done')
            return
          }
        }
      }
    }
    this.#finish('done')
    this.#log.info(
      { candles: p.candles, series: p.series, perInterval: p.perInterval },
      'recent history loaded from Kraken'
    )
  }

  #finish(state: HistoryState): void {
    this.#progress.state = state
    this.#progress.current = null
    this.#progress.finishedAt = new Date((this.#o.now ?? Date.now)()).toISOString()
  }

  /** One series: what Kraken has after the checkpoint; undefined when nothing new can be there yet. */
  async #series(
    symbol: string,
    interval: number,
    checkpoint: HistoryCheckpoint
  ): Promise<number | undefined> {
    const o = this.#o
    const key = seriesKey(symbol, interval)
    const last = checkpoint.series[key]
    const nowS = (o.now ?? Date.now)() / 1000
    // Kraken commits a candle once the next one begins: before two intervals have passed since the
    // last committed one, it has nothing new to say.
    if (last !== undefined && nowS < last + 2 * interval * 60) return undefined
    const page = await o.rest.ohlc(symbol, interval, last)
    const receivedAt = nowIsoMicros()
    const records: BusRecord[] = []
    for (const row of page.rows) {
      try {
        const begin = Number(Array.isArray(row) ? row[0] : Number.NaN)
        const candle = ohlcFromRest(row, symbol, interval, { receivedAt, final: begin <= page.last })
        records.push({ topic: o.topic ?? TopicNames.ohlc, key: symbol, value: ohlcCodec.encode(candle) })
      } catch (error) {
        this.#log.warn(
          { code: ErrorCodes.MALFORMED_INPUT, symbol, interval, err: describeError(error) },
          'unreadable REST OHLC row skipped'
        )
      }
    }
    await publishAll(o.publisher, records)
    if (page.last > 0) {
      checkpoint.series[key] = page.last
      await writeHistoryCheckpoint(o.checkpointPath, checkpoint)
    }
    return records.length
  }
}
