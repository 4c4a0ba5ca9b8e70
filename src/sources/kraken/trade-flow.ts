/**
 * Trades on their way to the bus, in order, each exactly once. Duplicates (resubscribe snapshots,
 * overlapping REST pages) are dropped by the sequencer's watermark. A jump in the id sequence
 * pauses that symbol: live trades queue while the missing range is fetched from REST, then the
 * fetched trades go out first and the queued live ones after, so per-symbol order holds. A range
 * REST cannot provide is counted and logged (with the ids, for a later backfill), and the symbol
 * moves on rather than waiting forever.
 */
import type { Logger } from 'pino'
import { ErrorCodes, describeError } from '../../errors/errors.ts'
import type { TradeV1 } from '../../schemas/index.ts'
import type { ProducerMetrics } from '../producer-metrics.ts'
import type { GapRequest } from './gap-fill.ts'
import { TradeSequencer } from './trade-sequencer.ts'

export interface TradeFlowOptions {
  emit: (trade: TradeV1) => void
  fetchGap: (gap: GapRequest) => Promise<TradeV1[]>
  metrics: ProducerMetrics
  log: Logger
  /** Live trades held per symbol during a fill; past it the oldest held are published unfilled. */
  maxHeld?: number
}

interface SymbolState {
  filling: boolean
  held: TradeV1[]
}

export class TradeFlow {
  readonly #o: TradeFlowOptions
  readonly #sequencer = new TradeSequencer()
  readonly #states = new Map<string, SymbolState>()
  readonly #fills = new Set<Promise<void>>()

  constructor(options: TradeFlowOptions) {
    this.#o = options
  }

  /** Trades in arrival order (any mix of symbols). */
  offer(trades: readonly TradeV1[]): void {
    for (const trade of trades) this.#process(trade)
  }

  lastTradeId(symbol: string): number | undefined {
    return this.#sequencer.last(symbol)
  }

  /** Resolves when no gap fill is running (for shutdown and tests). */
  async settled(): Promise<void> {
    while (this.#fills.size > 0) await Promise.allSettled([...this.#fills])
  }

  #state(symbol: string): SymbolState {
    let state = this.#states.get(symbol)
    if (state === undefined) {
      state = { filling: false, held: [] }
      this.#states.set(symbol, state)
    }
    return state
  }

  #process(trade: TradeV1): void {
    const state = this.#state(trade.symbol)
    if (state.filling) {
      state.held.push(trade)
      if (state.held.length > (this.#o.maxHeld ?? 200_000)) this.#release(state.held.shift())
      return
    }
    const verdict = this.#sequencer.verdict(trade.symbol, trade.tradeId)
    if (verdict.kind === 'duplicate') {
      this.#o.metrics.duplicateTrades.inc({ source: trade.source })
      return
    }
    if (verdict.kind === 'gap') {
      this.#o.metrics.tradeGaps.inc()
      state.filling = true
      state.held.push(trade)
      const gap = {
        symbol: trade.symbol,
        after: verdict.after,
        afterTs: verdict.afterTs,
        before: verdict.before
      }
      const fill = this.#fill(gap, state).finally(() => this.#fills.delete(fill))
      this.#fills.add(fill)
      return
    }
    this.#release(trade)
  }

  #release(trade: TradeV1 | undefined): void {
    if (trade === undefined) return
    this.#o.emit(trade)
    this.#sequencer.accept(trade.symbol, trade.tradeId, trade.exchangeTs)
  }

  async #fill(gap: GapRequest, state: SymbolState): Promise<void> {
    const missing = gap.before - gap.after - 1
    let filled = 0
    this.#o.log.info({ ...gap, missing }, 'trade gap detected; filling from REST before live trades resume')
    try {
      for (const trade of await this.#o.fetchGap(gap)) {
        if (this.#sequencer.verdict(trade.symbol, trade.tradeId).kind === 'duplicate') continue
        this.#release(trade)
        filled++
      }
    } catch (error) {
      this.#o.log.error({ err: describeError(error), ...gap }, 'gap fill from REST failed')
    }
    this.#o.metrics.gapFilledTrades.inc(filled)
    if (filled < missing) {
      this.#o.metrics.gapUnfilledTrades.inc(missing - filled)
      this.#o.log.error(
        { code: ErrorCodes.TRADE_GAP_UNFILLED, ...gap, missing: missing - filled },
        'trades missing after the gap fill; run `crypto-viz backfill` over this window'
      )
    }
    // Whatever REST could not give is lost to the live stream: move the watermark past it so the
    // held trades continue the sequence instead of reopening the same gap.
    const first = state.held[0]
    if (first !== undefined) this.#sequencer.accept(gap.symbol, gap.before - 1, first.exchangeTs)
    state.filling = false
    const held = state.held
    state.held = []
    for (const trade of held) this.#process(trade)
  }
}
