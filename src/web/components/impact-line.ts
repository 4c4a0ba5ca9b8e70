/**
 * The market's move after an article, in one line per symbol: the return at each horizon (italic
 * while provisional) and the abnormal move at 30 min, e.g. "BTC/USD  5m +0.12 %  30m −0.40 %
 * (−2.1 σ)  2h …". Used by the chart's news card.
 */
import type { ArticleImpact } from '../data/types.ts'
import { h } from '../lib/dom.ts'
import { formatPercent } from '../lib/format.ts'

const SHOWN = ['5m', '30m', '2h'] as const

export function impactLine(impact: ArticleImpact): HTMLElement {
  const abnormal = impact.abnormal['30m']
  return h(
    'div',
    { class: 'impact-line', 'data-testid': 'news-card-impact', 'data-symbol': impact.symbol },
    h('span', { class: 'impact-symbol' }, impact.symbol),
    ...SHOWN.map(name => {
      const value = impact.returns[name]
      const n = value === null ? Number.NaN : Number(value)
      return h(
        'span',
        {
          class: `impact-move ${n > 0 ? 'up' : n < 0 ? 'down' : 'flat'}${impact.final[name] ? '' : ' provisional'}`,
          'data-horizon': name,
          'data-return': value ?? '',
          title: impact.final[name] ? 'final' : 'provisional: the window is still open'
        },
        `${name} ${value === null ? '—' : formatPercent(n * 100)}`
      )
    }),
    abnormal === null
      ? null
      : h(
          'span',
          { class: 'impact-sigma' },
          `(${Number(abnormal) >= 0 ? '+' : '\u2212'}${Math.abs(Number(abnormal)).toFixed(1)}\u2009σ at 30m)`
        )
  )
}
