/**
 * Decides when a Kraken candle is final. The `ohlc` channel sends the running candle of
 * `interval_begin` on every trade and never says "closed"; a candle is final once a candle with a
 * later `interval_begin` arrives for the same symbol. Then the last state of the closed candle is
 * re-sent with `final: true`, so consumers can upsert on (symbol, interval, intervalBegin) and
 * still tell forming candles from finished ones. Pure state.
 */
import type { OhlcV1 } from '../../schemas/index.ts'

export class CandleTracker {
  readonly #current = new Map<string, OhlcV1>()

  /** A snapshot (several candles per symbol) or an update; returns the messages to publish. */
  accept(candles: readonly OhlcV1[], receivedAt: string): OhlcV1[] {
    const out: OhlcV1[] = []
    const ordered = [...candles].sort((a, b) =>
      a.intervalBegin < b.intervalBegin ? -1 : a.intervalBegin > b.intervalBegin ? 1 : 0
    )
    for (const candle of ordered) {
      const key = `${candle.symbol}|${candle.interval}`
      const current = this.#current.get(key)
      if (current !== undefined && current.intervalBegin < candle.intervalBegin) {
        out.push({ ...current, final: true, receivedAt })
      }
      if (current === undefined || current.intervalBegin <= candle.intervalBegin) {
        this.#current.set(key, candle)
        out.push(candle)
      }
    }
    return out
  }
}
