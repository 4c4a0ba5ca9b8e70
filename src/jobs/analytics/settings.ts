/** The analytics job's settings, derived once from the configuration. */
import type { Config } from '../../config/config.ts'
import { MICROS_PER_MINUTE } from '../../lib/event-time.ts'
import type { AlertSettings } from './alerts/rules.ts'
import { type IndicatorSettings, effectiveWindow } from './indicators/indicator-set.ts'
import type { WhaleSettings } from './whales/whale-watch.ts'

export interface AnalyticsSettings {
  readonly latenessMicros: number
  readonly indicators: IndicatorSettings
  /** Candles each indicator value is computed over. */
  readonly indicatorWindow: number
  /** Candles kept (and loaded on rebuild) before the lateness horizon, per interval. */
  readonly candleHistory: number
  /** Candles loaded per interval on rebuild: the history plus every bucket the lateness spans. */
  readonly candleLoad: number
  readonly spreadHistory: number
  readonly spreadLoad: number
  readonly alerts: AlertSettings
  readonly whale: WhaleSettings
  readonly cooldownMicros: number
  readonly sentiment: { readonly halfLifeSeconds: number; readonly windowSeconds: number }
  /**
   * The configured pairs (SYMBOLS): the news impact measures them even before any candle of theirs
   * is stored, so an article that arrives first gets its rows (null until prices exist).
   */
  readonly trackedSymbols: readonly string[]
}

export function analyticsSettings(
  config: Config['analytics'],
  trackedSymbols: readonly string[]
): AnalyticsSettings {
  const window = effectiveWindow(config.indicators)
  const latenessMicros = config.latenessMs * 1000
  const latenessBuckets = Math.ceil(latenessMicros / MICROS_PER_MINUTE) + 2
  const candleHistory = Math.max(
    window,
    config.alerts.volumeLookback + 1,
    config.alerts.priceMoveWindowMinutes + 1
  )
  const spreadHistory = config.alerts.spreadLookback + 1
  return {
    latenessMicros,
    indicators: config.indicators,
    indicatorWindow: window,
    candleHistory,
    candleLoad: candleHistory + latenessBuckets,
    spreadHistory,
    spreadLoad: spreadHistory + latenessBuckets,
    alerts: config.alerts,
    whale: config.whale,
    cooldownMicros: config.alerts.cooldownMinutes * MICROS_PER_MINUTE,
    sentiment: {
      halfLifeSeconds: config.sentiment.halfLifeMinutes * 60,
      windowSeconds: config.sentiment.windowHours * 3600
    },
    trackedSymbols
  }
}
