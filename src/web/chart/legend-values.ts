/** What the legend shows for a bar: the visible overlays' values there, each with its line colour. */
import type { LegendValue } from '../components/chart-legend.ts'
import type { ChartColors } from './chart-theme.ts'
import { type OverlayName, Overlays } from './indicator-names.ts'
import type { PriceChart } from './price-chart.ts'

export function legendValues(
  chart: PriceChart,
  overlays: ReadonlySet<OverlayName>,
  time: number | undefined,
  colors: ChartColors
): LegendValue[] {
  const value = (name: string): number | undefined =>
    time === undefined ? undefined : chart.indicatorAt(name, time)
  const values: LegendValue[] = []
  if (overlays.has('sma'))
    values.push(
      { label: 'SMA20', color: colors.sma[0], value: value(Overlays.sma[0]) },
      { label: 'SMA50', color: colors.sma[1], value: value(Overlays.sma[1]) }
    )
  if (overlays.has('ema'))
    values.push(
      { label: 'EMA12', color: colors.ema[0], value: value(Overlays.ema[0]) },
      { label: 'EMA26', color: colors.ema[1], value: value(Overlays.ema[1]) }
    )
  if (overlays.has('bollinger'))
    values.push(
      { label: 'BB↑', color: colors.bollinger, value: value(Overlays.bollinger[0]) },
      { label: 'BB↓', color: colors.bollinger, value: value(Overlays.bollinger[2]) }
    )
  if (overlays.has('vwap'))
    values.push({
      label: 'VWAP',
      color: colors.vwap,
      value: time === undefined ? undefined : chart.vwapAt(time)
    })
  if (overlays.has('rsi')) values.push({ label: 'RSI', color: colors.rsi, value: value(Overlays.rsi[0]) })
  return values
}
