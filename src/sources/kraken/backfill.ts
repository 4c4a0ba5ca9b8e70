/**
 * History into the same topics as live data: trades from REST `Trades` (walkable from any point,
 * paged by a nanosecond cursor) and candles from REST `OHLC` (Kraken keeps only the 720 most recent
 * per interval). Each page is published and acknowledged before the checkpoint moves, so an
 * interrupted backfill resumes where it stopped and republishes nothing it already delivered.
 * Rate limits are the REST client's business (spacing, HTTP-200 errors, backoff).
 */
import type { Logger } from 'pino'
import type { Bus, BusRecord } from '../../bus/bus.ts'
import { TopicNames } from '../../schemas/topics.ts'
import { CryptoVizError, ErrorCodes, describeError } from '../../errors/errors.ts'
import { backoffDelay, sleep } from '../../lib/backoff.ts'
import { nowIsoMicros } from '../../lib/time.ts'
import { ohlcCodec, tradeCodec } from '../../schemas/index.ts'
import { type Checkpoint, readCheckpoint, writeCheckpoint } from './backfill-checkpoint.ts'
import { ohlcFromRest, tradeFromRest } from './normalize.ts'
import type { KrakenRest } from './rest-client.ts'
import { rfc3339ToNanos } from './wire.ts'

export type BackfillPart = 'trades' | 'ohlc'

export interface BackfillProgress {
  part: BackfillPart
  /** 0…1 of the time range covered. */
  fraction: number
  published: number
}

export interface BackfillOptions {
  rest: KrakenRest
  bus: Bus
  symbol: string
  fromMs: number
  toMs: number
  parts: readonly BackfillPart[]
  /** Candle interval, minutes. */
  interval: number
  checkpointPath: string
  /** Ignore an existing checkpoint and start over. */
  restart?: boolean
  topics?: { trade: string; ohlc: string }
  headers?: Record<string, string>
  onProgress?: (progress: BackfillProgress) => void
  log: Logger
  signal?: AbortSignal
  now?: () => number
}

export interface BackfillResult {
  trades: number
  candles: number
  /** REST rows that could not be read (skipped). */
  malformed: number
  resumed: boolean
  /** Candle range Kraken no longer had, if any. */
  ohlcUnavailableBefore?: string
}

const MAX_CANDLES = 720

/** Publishes until the bus takes it (the broker may be restarting); gives up only when aborted. */
async function publishDurably(
  bus: Bus,
  records: BusRecord[],
  log: Logger,
  signal?: AbortSignal
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await bus.publish(records)
      return
    } catch (error) {
      if (signal?.aborted) throw error
      const delay = backoffDelay(attempt, { initialMs: 200, maxMs: 10_000 })
      log.warn({ err: describeError(error), attempt, retryInMs: delay }, 'backfill publish failed; retrying')
      await sleep(delay, signal)
    }
  }
}

export async function backfill(o: BackfillOptions): Promise<BackfillResult> {
  if (!(o.fromMs < o.toMs)) {
    throw new CryptoVizError(
      ErrorCodes.BACKFILL_RANGE,
      `empty or inverted range: from ${new Date(o.fromMs).toISOString()} to ${new Date(o.toMs).toISOString()}`
    )
  }
  const topics = o.topics ?? { trade: TopicNames.trade, ohlc: TopicNames.ohlc }
  const previous = o.restart === true ? undefined : await readCheckpoint(o.checkpointPath)
  const checkpoint: Checkpoint = previous ?? {
    symbol: o.symbol,
    fromMs: o.fromMs,
    toMs: o.toMs,
    trades: { published: 0, done: false },
    ohlc: { published: 0, done: false }
  }
  const result: BackfillResult = { trades: 0, candles: 0, malformed: 0, resumed: previous !== undefined }
  const withHeaders = (record: BusRecord): BusRecord =>
    o.headers === undefined ? record : { ...record, headers: o.headers }

  if (o.parts.includes('ohlc') && !checkpoint.ohlc.done) {
    const now = (o.now ?? Date.now)()
    const oldest = now - MAX_CANDLES * o.interval * 60_000
    if (o.toMs <= oldest) {
      throw new CryptoVizError(
        ErrorCodes.BACKFILL_RANGE,
        `Kraken keeps only the ${MAX_CANDLES} most recent ${o.interval}-minute candles (from ${new Date(oldest).toISOString()}); the range ends before that. Use --what trades: trades can be walked from any point.`
      )
    }
    if (o.fromMs < oldest) result.ohlcUnavailableBefore = new Date(oldest).toISOString()
    const since = Math.floor(Math.max(o.fromMs, oldest) / 1000) - o.interval * 60
    const page = await o.rest.ohlc(o.symbol, o.interval, since)
    const receivedAt = nowIsoMicros()
    const records: BusRecord[] = []
    for (const row of page.rows) {
      const begin = Number(Array.isArray(row) ? row[0] : NaN) * 1000
      if (!(begin >= o.fromMs && begin < o.toMs)) continue
      const candle = ohlcFromRest(row, o.symbol, o.interval, { receivedAt, final: begin / 1000 <= page.last })
      records.push(withHeaders({ topic: topics.ohlc, key: o.symbol, value: ohlcCodec.encode(candle) }))
    }
    if (records.length > 0) await publishDurably(o.bus, records, o.log, o.signal)
    checkpoint.ohlc = { published: records.length, done: true }
    result.candles = records.length
    await writeCheckpoint(o.checkpointPath, checkpoint)
    o.onProgress?.({ part: 'ohlc', fraction: 1, published: records.length })
  }

  if (o.parts.includes('trades') && !checkpoint.trades.done) {
    const fromNs = BigInt(o.fromMs) * 1_000_000n
    const toNs = BigInt(o.toMs) * 1_000_000n
    let cursor = checkpoint.trades.cursor ?? (fromNs - 1n).toString()
    let published = checkpoint.trades.published
    for (;;) {
      o.signal?.throwIfAborted()
      const page = await o.rest.trades(o.symbol, cursor)
      const receivedAt = nowIsoMicros()
      const records: BusRecord[] = []
      let lastId = checkpoint.trades.lastTradeId ?? -1
      let beyond = false
      for (const row of page.rows) {
        let trade: ReturnType<typeof tradeFromRest>
        try {
          trade = tradeFromRest(row, o.symbol, receivedAt)
        } catch (error) {
          result.malformed++
          o.log.warn(
            { code: ErrorCodes.MALFORMED_INPUT, err: describeError(error) },
            'unreadable REST trade skipped'
          )
          continue
        }
        const ns = rfc3339ToNanos(trade.exchangeTs)
        if (ns >= toNs) {
          beyond = true
          break
        }
        if (ns < fromNs || trade.tradeId <= lastId) continue
        lastId = trade.tradeId
        records.push(withHeaders({ topic: topics.trade, key: o.symbol, value: tradeCodec.encode(trade) }))
      }
      if (records.length > 0) await publishDurably(o.bus, records, o.log, o.signal)
      published += records.length
      const stalled = page.rows.length === 0 || page.last === '' || page.last === cursor
      checkpoint.trades = {
        cursor: page.last || cursor,
        lastTradeId: lastId,
        published,
        done: beyond || stalled
      }
      await writeCheckpoint(o.checkpointPath, checkpoint)
      const position = BigInt(page.last || cursor)
      const fraction = checkpoint.trades.done
        ? 1
        : Number(((position - fromNs) * 1000n) / (toNs - fromNs)) / 1000
      o.onProgress?.({ part: 'trades', fraction: Math.min(1, Math.max(0, fraction)), published })
      if (checkpoint.trades.done) break
      cursor = page.last
    }
    result.trades = published - (previous?.trades.published ?? 0)
  }
  return result
}
