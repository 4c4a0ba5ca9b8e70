/**
 * Large-trade ("whale") detection for one symbol: a trade whose notional (price × quantity, in the
 * quote currency) exceeds the symbol's threshold becomes an alert draft whose id is the rule, the
 * symbol and the trade id, so it is published once per qualifying trade however often the trade is
 * processed. The threshold is fixed (a per-pair override, or the USD floor for USD-quoted pairs) or,
 * with a quantile configured, the larger of that floor and the quantile of the pair's recent
 * notionals. That rolling window is part of the symbol's committed state (job_state), so a restart
 * or a rebalance takes exactly the decisions an uninterrupted run would.
 */
import type { Config } from '../../../config/config.ts'
import { type Decimal, formatDecimal, multiply, toNumber } from '../../../lib/decimal.ts'
import type { AlertDraft } from '../alerts/rules.ts'
import { RollingQuantile, type RollingQuantileState } from './rolling-quantile.ts'

/** The whale rule as configured (config.ts declares it, with the variables that set it). */
export type WhaleSettings = Config['analytics']['whale']

export interface WhaleTrade {
  readonly tradeId: number
  /** Event time, µs. */
  readonly ts: number
  readonly price: Decimal
  readonly qty: Decimal
  readonly side: 'buy' | 'sell'
  /** price × qty, when the caller computed it already. */
  readonly notional?: Decimal
}

export const WHALE_RULE = 'whale_trade'

// Stablecoins count as dollars for the default floor; any other quote needs its own threshold.
const USD_LIKE = new Set(['USD', 'USDT', 'USDC', 'DAI', 'PYUSD', 'FDUSD', 'TUSD', 'USDP', 'USDG', 'RLUSD'])

/** The fixed threshold of a pair, in its quote currency, or undefined when it has none. */
export function fixedThreshold(symbol: string, settings: WhaleSettings): number | undefined {
  const own = settings.bySymbol.get(symbol)
  if (own !== undefined) return own
  return USD_LIKE.has(symbol.split('/')[1] ?? '') ? settings.minNotionalUsd : undefined
}

const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 })
const compact = (value: number): string => compactFormat.format(value)
const round = (value: number): number => Number(value.toFixed(2))

export class WhaleWatch {
  readonly symbol: string
  readonly #settings: WhaleSettings
  readonly #floor: number | undefined
  readonly #recent: RollingQuantile | undefined

  constructor(symbol: string, settings: WhaleSettings, state?: RollingQuantileState) {
    this.symbol = symbol
    this.#settings = settings
    this.#floor = fixedThreshold(symbol, settings)
    this.#recent =
      settings.quantile > 0 ? new RollingQuantile(settings.quantile, settings.window, state) : undefined
  }

  get enabled(): boolean {
    return this.#settings.minNotionalUsd > 0 && (this.#floor !== undefined || this.#recent !== undefined)
  }

  /** Checks one trade against the threshold of the trades before it, then adds it to the window. */
  check(trade: WhaleTrade): AlertDraft | undefined {
    if (!this.enabled) return undefined
    const exact = trade.notional ?? multiply(trade.price, trade.qty)
    const notional = toNumber(exact)
    const quantile = this.#recent?.valueThenAdd(notional)
    const threshold = Math.max(this.#floor ?? 0, quantile ?? 0)
    if (threshold <= 0 || !(notional > threshold)) return undefined
    const source = quantile !== undefined && quantile > (this.#floor ?? 0) ? 'quantile' : 'fixed'
    const [base = '', quote = ''] = this.symbol.split('/')
    const verb = trade.side === 'buy' ? 'buy' : 'sell'
    const why =
      source === 'quantile'
        ? `the p${round(this.#settings.quantile * 100)} of the last ${this.#recent?.size ?? 0} trades`
        : 'the fixed threshold'
    return {
      rule: WHALE_RULE,
      kind: 'whale_trade',
      symbol: this.symbol,
      severity: notional >= 2 * threshold ? 'critical' : 'warning',
      title: `${this.symbol} whale ${verb}: ${formatDecimal(trade.qty)} ${base} ≈ ${compact(notional)} ${quote}`,
      message:
        `A taker ${verb} of ${formatDecimal(trade.qty)} ${base} at ${formatDecimal(trade.price)} ` +
        `(notional ${formatDecimal(exact)} ${quote}), above ${why}: ${compact(threshold)} ${quote}.`,
      value: round(notional),
      threshold: round(threshold),
      eventTs: trade.ts,
      key: String(trade.tradeId),
      details: {
        tradeId: trade.tradeId,
        side: trade.side,
        price: formatDecimal(trade.price),
        qty: formatDecimal(trade.qty),
        notional: formatDecimal(exact),
        quote,
        thresholdSource: source,
        ...(this.#recent === undefined
          ? {}
          : { quantile: this.#settings.quantile, window: this.#recent.size })
      }
    }
  }

  /** Values the rolling quantile keeps (0 without one). */
  get footprint(): number {
    return this.#recent?.candidates ?? 0
  }

  toState(): RollingQuantileState | undefined {
    return this.#recent?.toJSON()
  }
}
