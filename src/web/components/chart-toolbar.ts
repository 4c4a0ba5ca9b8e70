/**
 * Above the chart: the symbol picker, the interval switch (1m … 1d) and the overlay toggles. The
 * chosen overlays are remembered across visits.
 */
import { type OverlayName, OverlayLabels } from '../chart/indicator-names.ts'
import { h } from '../lib/dom.ts'
import { type Interval, Intervals } from '../../contract/vocabulary.ts'

const KEY = 'crypto-viz:overlays'
const DEFAULT_OVERLAYS: OverlayName[] = ['sma', 'vwap', 'rsi', 'news']

export function storedOverlays(): Set<OverlayName> {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as unknown
    if (Array.isArray(value))
      return new Set(value.filter((v): v is OverlayName => typeof v === 'string' && v in OverlayLabels))
  } catch {
    // Unreadable or unavailable storage: the defaults.
  }
  return new Set(DEFAULT_OVERLAYS)
}

function storeOverlays(overlays: ReadonlySet<OverlayName>): void {
  try {
    localStorage.setItem(KEY, JSON.stringify([...overlays]))
  } catch {
    // Without storage the choice lasts for this page.
  }
}

export interface ToolbarOptions {
  symbol: string
  symbols: readonly string[]
  interval: Interval
  overlays: ReadonlySet<OverlayName>
  onSymbol: (symbol: string) => void
  onInterval: (interval: Interval) => void
  onOverlays: (overlays: ReadonlySet<OverlayName>) => void
}

export function chartToolbar(options: ToolbarOptions): HTMLElement {
  const overlays = new Set(options.overlays)
  const picker = h(
    'select',
    { class: 'symbol-picker', 'aria-label': 'Symbol', onchange: () => options.onSymbol(picker.value) },
    ...[...new Set([options.symbol, ...options.symbols])]
      .sort()
      .map(s => h('option', { value: s, selected: s === options.symbol }, s))
  )
  const intervals = h(
    'div',
    { class: 'segmented intervals', role: 'group', 'aria-label': 'Interval' },
    ...Intervals.map(interval =>
      h(
        'button',
        {
          type: 'button',
          'data-interval': interval,
          'aria-pressed': String(interval === options.interval),
          onclick: () => options.onInterval(interval)
        },
        interval
      )
    )
  )
  const toggles = h(
    'div',
    { class: 'overlay-toggles', role: 'group', 'aria-label': 'Overlays' },
    ...(Object.keys(OverlayLabels) as OverlayName[]).map(name => {
      const button = h(
        'button',
        {
          type: 'button',
          class: `toggle overlay-${name}`,
          'data-overlay': name,
          'aria-pressed': String(overlays.has(name))
        },
        OverlayLabels[name]
      )
      button.addEventListener('click', () => {
        if (overlays.has(name)) overlays.delete(name)
        else overlays.add(name)
        button.setAttribute('aria-pressed', String(overlays.has(name)))
        storeOverlays(overlays)
        options.onOverlays(new Set(overlays))
      })
      return button
    })
  )
  return h('div', { class: 'chart-toolbar' }, picker, intervals, toggles)
}
