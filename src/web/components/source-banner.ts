/**
 * Where the data comes from, said on the page: a banner while live input is not arriving (Kraken
 * unreachable, the connection lost, the news feeds unreachable — `sources.notice` of /api/pipeline,
 * written by the server in the same words as `npm start` prints), and a badge while the pipeline
 * plays bundled data (`sources.mode: replay`), so replayed prices never pass for the market.
 * Polls the pipeline status; hidden while the API itself is away (the outage banner says that).
 * The same poll tells the views when the exchange's history finished loading after this page
 * opened (history-events.ts).
 */
import { announceHistoryLoaded, historyFinishedAt } from '../data/history-events.ts'
import { getJson } from '../data/rest.ts'
import { h, setText } from '../lib/dom.ts'
import '../styles/source-banner.css'

interface SourcesStatus {
  mode: 'live' | 'replay' | null
  notice: string | null
}

const POLL_MS = 10_000

export class SourceBanner {
  readonly #banner = h('div', {
    class: 'pinned-notice source-banner',
    role: 'status',
    'data-testid': 'source-notice',
    hidden: true
  })
  readonly #text = h('span', {})
  readonly #badge = h(
    'div',
    {
      class: 'replay-badge',
      'data-testid': 'replay-badge',
      title: 'Replay mode: bundled data played through the real producers, not the live market',
      hidden: true
    },
    'REPLAY · bundled data, not the live market'
  )
  #dismissed: string | undefined
  #started = false
  /** History loaded before the page opened is in what the views read first. */
  #historySeenAt = Date.now()

  constructor() {
    const close = h(
      'button',
      {
        type: 'button',
        class: 'link-button',
        'aria-label': 'Hide this notice',
        onclick: () => this.#dismiss()
      },
      'Hide'
    )
    this.#banner.append(this.#text, close)
    document.body.append(this.#banner, this.#badge)
  }

  start(): void {
    if (this.#started) return
    this.#started = true
    void this.refresh()
    window.setInterval(() => void this.refresh(), POLL_MS)
  }

  async refresh(): Promise<void> {
    let sources: SourcesStatus | undefined
    try {
      const body = await getJson<{ sources?: SourcesStatus }>('/api/pipeline')
      sources = body.sources
      const finished = historyFinishedAt(body)
      if (finished !== undefined && finished > this.#historySeenAt) {
        this.#historySeenAt = finished
        announceHistoryLoaded()
      }
    } catch {
      sources = undefined
    }
    const notice = sources?.notice ?? undefined
    this.#banner.hidden = notice === undefined || notice === this.#dismissed
    if (notice !== undefined) setText(this.#text, notice)
    this.#badge.hidden = sources?.mode !== 'replay'
  }

  #dismiss(): void {
    this.#dismissed = this.#text.textContent ?? undefined
    this.#banner.hidden = true
  }
}
