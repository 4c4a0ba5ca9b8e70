/**
 * The market's move after an article. On the chart's news card, one line per symbol: the return at
 * each horizon (italic while provisional) and the abnormal move at 30 min, e.g. "BTC/USD  5m +0.12 %
 * 30m −0.40 %  2h …  (−2.1 σ at 30m)". In a list row, compactly: per symbol the 30 min return and
 * abnormal move, "BTC/USD 30m −0.40 % −2.1 σ". The figures are written as the Market movers view
 * writes them (lib/format.ts).
 */
import type { ArticleImpact } from '../data/types.ts'
import { h } from '../lib/dom.ts'
import { formatReturn, formatSigma } from '../lib/format.ts'

const SHOWN = ['5m', '30m', '2h'] as const
/** The horizon a list row shows: long enough to be more than noise, final within the hour. */
const BRIEF = '30m'

const direction = (value: string | null): string => {
  const n = value === null ? Number.NaN : Number(value)
  return n > 0 ? 'up' : n < 0 ? 'down' : 'flat'
}

export function impactLine(impact: ArticleImpact): HTMLElement {
  const abnormal = impact.abnormal['30m']
  return h(
    'div',
    { class: 'impact-line', 'data-testid': 'news-card-impact', 'data-symbol': impact.symbol },
    h('span', { class: 'impact-symbol' }, impact.symbol),
    ...SHOWN.map(name => {
      const value = impact.returns[name]
      return h(
        'span',
        {
          class: `impact-move ${direction(value)}${impact.final[name] ? '' : ' provisional'}`,
          'data-horizon': name,
          'data-return': value ?? '',
          title: impact.final[name] ? 'final' : 'provisional: the window is still open'
        },
        `${name} ${formatReturn(value)}`
      )
    }),
    abnormal === null ? null : h('span', { class: 'impact-sigma' }, `(${formatSigma(abnormal)} at 30m)`)
  )
}

/**
 * A list row's move after the article, per symbol whose move is known (a symbol with no candles
 * around the publication has none: left out rather than shown as a dash); null when none is.
 */
export function impactBrief(impacts: readonly ArticleImpact[]): HTMLElement | null {
  const known = impacts.filter(impact => impact.returns[BRIEF] !== null)
  if (known.length === 0) return null
  return h(
    'span',
    { class: 'article-impact' },
    ...known
      .sort((a, b) => a.symbol.localeCompare(b.symbol))
      .map(impact => {
        const value = impact.returns[BRIEF]
        const abnormal = impact.abnormal[BRIEF]
        const final = impact.final[BRIEF]
        return h(
          'span',
          {
            class: `impact-move ${direction(value)}${final ? '' : ' provisional'}`,
            'data-testid': 'article-impact',
            'data-symbol': impact.symbol,
            'data-return': value ?? '',
            'data-abnormal': abnormal ?? '',
            'data-final': String(final),
            title: `${impact.symbol} 30 min after the article: the return and the move in standard deviations of an ordinary 30 min (${final ? 'final' : 'provisional: the window is still open'})`
          },
          `${impact.symbol} ${BRIEF} ${formatReturn(value)}${abnormal === null ? '' : ` ${formatSigma(abnormal)}`}`
        )
      })
  )
}
