/**
 * The analytics state, kept per topic-partition as Kafka Streams keeps its stores: the next offset
 * to apply and, for trade and ticker partitions, the per-symbol candles or spreads. It is loaded from
 * what the last commit stored (job_offsets, job_state, candles, spreads) whenever a partition is
 * assigned or a batch failed, so whoever owns a partition continues exactly where the last committed
 * batch left off, whichever instance that was.
 */
import { isoToMicros } from '../../../lib/event-time.ts'
import type { Queryable } from '../../../store/database.ts'
import { recentCandles } from '../../../store/writers/candles.ts'
import {
  type PartitionRef,
  ensureJobOffsets,
  readJobOffsets,
  readJobState
} from '../../../store/writers/job-bookkeeping.ts'
import { recentSpreads } from '../../../store/writers/spreads.ts'
import { candleFromRow } from '../candles/candle.ts'
import { INTERVALS } from '../candles/intervals.ts'
import { SymbolCandles, type TradeKeyState } from '../candles/symbol-candles.ts'
import type { AnalyticsSettings } from '../settings.ts'
import { SymbolSpreads, type TickerKeyState, spreadFromRow } from '../spreads/symbol-spreads.ts'
import type { RollingQuantileState } from '../whales/rolling-quantile.ts'
import { WhaleWatch } from '../whales/whale-watch.ts'

export type PartitionKind = 'trade' | 'ticker' | 'article'

export interface PartitionState {
  readonly topic: string
  readonly partition: number
  readonly kind: PartitionKind
  /** Offsets below this were applied and committed: skip them when redelivered. */
  nextOffset: number
  readonly candles: Map<string, SymbolCandles>
  readonly spreads: Map<string, SymbolSpreads>
  readonly whales: Map<string, WhaleWatch>
}

/** What a trade partition commits per symbol: the candles' bookkeeping and the whale window. */
export interface SymbolTradeState extends TradeKeyState {
  whale?: RollingQuantileState
}

export const partitionKey = (p: PartitionRef): string => `${p.topic}\u0000${p.partition}`

/**
 * What the state holds, counted in entries: every part is bounded by the event-time horizon (the
 * lateness, plus the history indicators and rules read) or by a fixed size, never by the number of
 * records that went through (docs/jobs.md, "Memory").
 */
export interface StateFootprint {
  partitions: number
  /** Symbols with candles or spreads. */
  symbols: number
  /** Candles of every symbol and interval. */
  candles: number
  /** Ranges of trade ids already counted. */
  seenRanges: number
  /** Values the whale quantiles keep. */
  whaleCandidates: number
  /** Spread buckets of every symbol and interval. */
  spreadBuckets: number
}

const micros = (iso: string): number => isoToMicros(iso) ?? 0

export class AnalyticsState {
  readonly #job: string
  readonly #settings: AnalyticsSettings
  readonly #kindOf: (topic: string) => PartitionKind | undefined
  readonly #loaded = new Map<string, PartitionState>()

  constructor(
    job: string,
    settings: AnalyticsSettings,
    kindOf: (topic: string) => PartitionKind | undefined
  ) {
    this.#job = job
    this.#settings = settings
    this.#kindOf = kindOf
  }

  get(ref: PartitionRef): PartitionState | undefined {
    return this.#loaded.get(partitionKey(ref))
  }

  footprint(): StateFootprint {
    const total: StateFootprint = {
      partitions: this.#loaded.size,
      symbols: 0,
      candles: 0,
      seenRanges: 0,
      whaleCandidates: 0,
      spreadBuckets: 0
    }
    for (const partition of this.#loaded.values()) {
      total.symbols += partition.candles.size + partition.spreads.size
      for (const candles of partition.candles.values()) {
        const own = candles.footprint()
        total.candles += own.candles
        total.seenRanges += own.seenRanges
      }
      for (const whale of partition.whales.values()) total.whaleCandidates += whale.footprint
      for (const spreads of partition.spreads.values()) total.spreadBuckets += spreads.size
    }
    return total
  }

  /** After a rebalance: state of partitions that moved away is dropped, new ones load on first use. */
  assigned(partitions: readonly PartitionRef[]): void {
    const keep = new Set(partitions.map(partitionKey))
    for (const key of this.#loaded.keys()) if (!keep.has(key)) this.#loaded.delete(key)
  }

  /** Forgets partitions whose in-memory state may be ahead of the database (a failed batch). */
  invalidate(partitions: readonly PartitionRef[]): void {
    for (const p of partitions) this.#loaded.delete(partitionKey(p))
  }

  /** Loads every partition of the list that is not in memory; returns how many were loaded. */
  async ensureLoaded(db: Queryable, partitions: readonly PartitionRef[]): Promise<number> {
    const missing = partitions.filter(
      p => !this.#loaded.has(partitionKey(p)) && this.#kindOf(p.topic) !== undefined
    )
    if (missing.length === 0) return 0
    await ensureJobOffsets(db, this.#job, missing)
    const offsets = await readJobOffsets(db, this.#job, missing)
    const states = await readJobState(db, this.#job, missing)
    const loaded = new Map<string, PartitionState>()
    for (const p of missing) {
      const kind = this.#kindOf(p.topic) as PartitionKind
      const next = offsets.find(o => o.topic === p.topic && o.partition === p.partition)?.nextOffset ?? 0
      loaded.set(partitionKey(p), {
        ...p,
        kind,
        nextOffset: next,
        candles: new Map(),
        spreads: new Map(),
        whales: new Map()
      })
    }
    await this.#loadCandles(
      db,
      loaded,
      states.filter(s => loaded.get(partitionKey(s))?.kind === 'trade')
    )
    await this.#loadSpreads(
      db,
      loaded,
      states.filter(s => loaded.get(partitionKey(s))?.kind === 'ticker')
    )
    for (const [key, state] of loaded) this.#loaded.set(key, state)
    return missing.length
  }

  async #loadCandles(
    db: Queryable,
    loaded: Map<string, PartitionState>,
    states: readonly { topic: string; partition: number; key: string; state: unknown }[]
  ): Promise<void> {
    const intervals = INTERVALS.map(i => i.name)
    const rows = await recentCandles(
      db,
      states.map(s => s.key),
      intervals,
      this.#settings.candleLoad
    )
    for (const s of states) {
      const candles = rows.filter(r => r.symbol === s.key).map(r => candleFromRow(r, micros(r.bucket)))
      const state = s.state as SymbolTradeState
      const symbol = new SymbolCandles(s.key, this.#candleSettings(), state, candles)
      symbol.prune()
      loaded.get(partitionKey(s))?.candles.set(s.key, symbol)
      loaded.get(partitionKey(s))?.whales.set(s.key, new WhaleWatch(s.key, this.#settings.whale, state.whale))
    }
  }

  async #loadSpreads(
    db: Queryable,
    loaded: Map<string, PartitionState>,
    states: readonly { topic: string; partition: number; key: string; state: unknown }[]
  ): Promise<void> {
    const intervals = INTERVALS.map(i => i.name)
    const rows = await recentSpreads(
      db,
      states.map(s => s.key),
      intervals,
      this.#settings.spreadLoad
    )
    for (const s of states) {
      const buckets = rows
        .filter(r => r.symbol === s.key)
        .map(r => spreadFromRow(r, micros(r.bucket), micros(r.closeTs)))
      const symbol = new SymbolSpreads(s.key, this.#spreadSettings(), s.state as TickerKeyState, buckets)
      symbol.prune()
      loaded.get(partitionKey(s))?.spreads.set(s.key, symbol)
    }
  }

  #candleSettings() {
    return { latenessMicros: this.#settings.latenessMicros, history: this.#settings.candleHistory }
  }

  #spreadSettings() {
    return { latenessMicros: this.#settings.latenessMicros, history: this.#settings.spreadHistory }
  }

  candlesFor(state: PartitionState, symbol: string): SymbolCandles {
    let candles = state.candles.get(symbol)
    if (candles === undefined) {
      candles = new SymbolCandles(symbol, this.#candleSettings())
      state.candles.set(symbol, candles)
    }
    return candles
  }

  whalesFor(state: PartitionState, symbol: string): WhaleWatch {
    let whales = state.whales.get(symbol)
    if (whales === undefined) {
      whales = new WhaleWatch(symbol, this.#settings.whale)
      state.whales.set(symbol, whales)
    }
    return whales
  }

  spreadsFor(state: PartitionState, symbol: string): SymbolSpreads {
    let spreads = state.spreads.get(symbol)
    if (spreads === undefined) {
      spreads = new SymbolSpreads(symbol, this.#spreadSettings())
      state.spreads.set(symbol, spreads)
    }
    return spreads
  }
}
