/** The sentiment of an article as a small badge: label and score, coloured; "scoring…" until known. */
import type { ArticleSentiment } from '../data/types.ts'
import { h } from '../lib/dom.ts'

export function sentimentBadge(sentiment: ArticleSentiment | null | undefined): HTMLElement {
  if (sentiment === null || sentiment === undefined)
    return h(
      'span',
      { class: 'badge badge-pending', title: 'The analytics job has not scored this article yet' },
      'scoring…'
    )
  const score = sentiment.score.toFixed(2).replace('-', '\u2212')
  return h(
    'span',
    { class: `badge badge-${sentiment.label}`, title: `Sentiment score ${score} (from −1 to +1)` },
    `${sentiment.label} ${sentiment.score > 0 ? '+' : ''}${score}`
  )
}
