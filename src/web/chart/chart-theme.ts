/**
 * The charts' colours and shared options, read from the page's CSS custom properties so a theme
 * switch restyles the charts with the rest of the page; times shown in the viewer's local zone.
 */
import type { ChartOptions, DeepPartial, Time } from 'lightweight-charts'
import { formatClock } from '../lib/format.ts'

export interface ChartColors {
  background: string
  text: string
  grid: string
  border: string
  up: string
  down: string
  upVolume: string
  downVolume: string
  /** The exchange's own candles and their volume: quieter versions of the four above. */
  upExchange: string
  downExchange: string
  upVolumeExchange: string
  downVolumeExchange: string
  accent: string
  sma: [string, string]
  ema: [string, string]
  bollinger: string
  vwap: string
  rsi: string
  crosshair: string
}

export function readChartColors(element: Element = document.documentElement): ChartColors {
  const style = getComputedStyle(element)
  const v = (name: string): string => style.getPropertyValue(name).trim()
  return {
    background: v('--surface'),
    text: v('--text-muted'),
    grid: v('--grid'),
    border: v('--border'),
    up: v('--up'),
    down: v('--down'),
    upVolume: v('--up-volume'),
    downVolume: v('--down-volume'),
    upExchange: v('--up-exchange'),
    downExchange: v('--down-exchange'),
    upVolumeExchange: v('--up-volume-exchange'),
    downVolumeExchange: v('--down-volume-exchange'),
    accent: v('--accent'),
    sma: [v('--line-1'), v('--line-2')],
    ema: [v('--line-3'), v('--line-4')],
    bollinger: v('--line-5'),
    vwap: v('--line-6'),
    rsi: v('--line-3'),
    crosshair: v('--text-faint')
  }
}

const timeOf = (time: Time): number => (typeof time === 'number' ? time * 1000 : 0)
const pad = (n: number): string => String(n).padStart(2, '0')
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Tick labels in local time (lightweight-charts draws UTC by default). Types: 0 year … 4 seconds. */
function tickLabel(time: Time, type: number): string {
  const d = new Date(timeOf(time))
  if (type === 0) return String(d.getFullYear())
  if (type === 1) return MONTHS[d.getMonth()] ?? ''
  if (type === 2) return `${d.getDate()} ${MONTHS[d.getMonth()] ?? ''}`
  return `${pad(d.getHours())}:${pad(d.getMinutes())}${type === 4 ? `:${pad(d.getSeconds())}` : ''}`
}

function crosshairLabel(time: Time): string {
  const d = new Date(timeOf(time))
  return `${d.getDate()} ${MONTHS[d.getMonth()] ?? ''} ${String(d.getFullYear()).slice(2)}  ${formatClock(d.getTime()).slice(0, 5)}`
}

export function chartOptions(colors: ChartColors): DeepPartial<ChartOptions> {
  return {
    autoSize: true,
    layout: {
      background: { color: colors.background },
      textColor: colors.text,
      fontFamily: getComputedStyle(document.body).fontFamily,
      fontSize: 11,
      panes: { separatorColor: colors.border, separatorHoverColor: colors.grid }
    },
    grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
    rightPriceScale: { borderColor: colors.border },
    timeScale: {
      borderColor: colors.border,
      timeVisible: true,
      secondsVisible: false,
      rightOffset: 6,
      enableConflation: true,
      tickMarkFormatter: tickLabel
    },
    // Normal (0): the crosshair follows the pointer rather than snapping to closes.
    crosshair: {
      mode: 0,
      vertLine: { color: colors.crosshair, labelBackgroundColor: colors.accent },
      horzLine: { color: colors.crosshair, labelBackgroundColor: colors.accent }
    },
    localization: { timeFormatter: crosshairLabel }
  }
}
