/**
 * The indicator series the chart draws, by the names the analytics job stores them under with its
 * default settings (INDICATOR_SMA_PERIODS=20,50, INDICATOR_EMA_PERIODS=12,26, RSI 14, Bollinger 20/2,
 * INDICATOR_MACD=12,26,9).
 * A deployment that changes those periods changes these names: edit them here, in one place.
 */
export const Overlays = {
  sma: ['sma_20', 'sma_50'],
  ema: ['ema_12', 'ema_26'],
  bollinger: ['bb_upper_20_2', 'bb_middle_20_2', 'bb_lower_20_2'],
  rsi: ['rsi_14'],
  macd: ['macd_12_26_9', 'macd_signal_12_26_9', 'macd_hist_12_26_9']
} as const

export const IndicatorNames: readonly string[] = Object.values(Overlays).flat()

export type OverlayName = keyof typeof Overlays | 'vwap' | 'news'

export const OverlayLabels: Record<OverlayName, string> = {
  sma: 'SMA 20/50',
  ema: 'EMA 12/26',
  bollinger: 'Bollinger 20',
  vwap: 'VWAP',
  rsi: 'RSI 14',
  macd: 'MACD 12/26/9',
  news: 'News'
}
