/**
 * The configured set of indicators, named as they are stored (`sma_20`, `ema_12`, `rsi_14`,
 * `bb_upper_20_2`, `bb_middle_20_2`, `bb_lower_20_2`, `volatility_20`, `macd_12_26_9`,
 * `macd_signal_12_26_9`, `macd_hist_12_26_9`). A value at a candle is a pure
 * function of the `window` candles ending there, so it comes out the same whether computed live, after
 * a late trade changed an earlier candle, or after a restart rebuilt the series from the database.
 */
import type { Config } from '../../../config/config.ts'
import { bollinger, ema, macd, rsi, sma, volatility } from './indicators.ts'

/** The indicators as configured (config.ts declares them, with the variables that set them). */
export type IndicatorSettings = Config['analytics']['indicators']

/** The window actually used: never shorter than what the longest indicator needs. */
export function effectiveWindow(settings: IndicatorSettings): number {
  return Math.max(
    settings.window,
    ...settings.smaPeriods,
    ...settings.emaPeriods,
    settings.rsiPeriod + 1,
    settings.bollingerPeriod,
    settings.volatilityPeriod + 1,
    settings.macd === undefined ? 0 : settings.macd.slow + settings.macd.signal - 1
  )
}

export type IndicatorValues = [name: string, value: number][]

/** The indicators at the last point of `closes` (the caller passes the window ending there). */
export function indicatorsAt(closes: readonly number[], settings: IndicatorSettings): IndicatorValues {
  const out: IndicatorValues = []
  const push = (name: string, value: number | undefined): void => {
    if (value !== undefined && Number.isFinite(value)) out.push([name, value])
  }
  for (const period of settings.smaPeriods) push(`sma_${period}`, sma(closes, period))
  for (const period of settings.emaPeriods) push(`ema_${period}`, ema(closes, period))
  push(`rsi_${settings.rsiPeriod}`, rsi(closes, settings.rsiPeriod))
  const bands = bollinger(closes, settings.bollingerPeriod, settings.bollingerStdDev)
  if (bands !== undefined) {
    const suffix = `${settings.bollingerPeriod}_${settings.bollingerStdDev}`
    push(`bb_upper_${suffix}`, bands.upper)
    push(`bb_middle_${suffix}`, bands.middle)
    push(`bb_lower_${suffix}`, bands.lower)
  }
  push(`volatility_${settings.volatilityPeriod}`, volatility(closes, settings.volatilityPeriod))
  if (settings.macd !== undefined) {
    const { fast, slow, signal } = settings.macd
    const value = macd(closes, fast, slow, signal)
    const suffix = `${fast}_${slow}_${signal}`
    push(`macd_${suffix}`, value?.macd)
    push(`macd_signal_${suffix}`, value?.signal)
    push(`macd_hist_${suffix}`, value?.histogram)
  }
  return out
}
