/**
 * The page around the views: brand, navigation (with a count of alerts not seen yet), connection
 * indicator, theme switch, the time bar, the outage banner and the notification stack. The header
 * and time bar have fixed heights, so nothing below them moves when their content changes.
 */
import type { ConnectionPill } from '../components/connection-pill.ts'
import type { TimeBar } from '../components/time-bar.ts'
import type { Toasts } from '../components/toasts.ts'
import { h, setText } from '../lib/dom.ts'
import type { ViewName } from './router.ts'

const NavItems: [ViewName, string][] = [
  ['overview', 'Markets'],
  ['pressure', 'Pressure'],
  ['news', 'News'],
  ['movers', 'Movers'],
  ['alerts', 'Alerts'],
  ['pipeline', 'Pipeline']
]

export class Shell {
  readonly main = h('main', { id: 'main', class: 'main', tabindex: -1 })
  readonly #nav: HTMLElement
  readonly #alertCount = h('span', { class: 'nav-count', hidden: true })
  readonly #banner = h('div', { class: 'pinned-notice outage-banner', role: 'alert', hidden: true })
  readonly #bannerText = h('span', {})

  constructor(parts: {
    pill: ConnectionPill
    timeBar: TimeBar
    toasts: Toasts
    onTheme: () => void
    onRetry: () => void
    href: (view: ViewName) => string
  }) {
    this.#nav = h(
      'nav',
      { class: 'nav', 'aria-label': 'Views' },
      ...NavItems.map(([view, label]) =>
        h(
          'a',
          { href: parts.href(view), 'data-view': view },
          label,
          view === 'alerts' ? this.#alertCount : null
        )
      )
    )
    const brand = h(
      'a',
      { class: 'brand', href: '#/', 'aria-label': 'CRYPTO VIZ home' },
      h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
      h('span', { class: 'brand-name' }, 'CRYPTO', h('b', {}, 'VIZ'))
    )
    const theme = h('button', {
      type: 'button',
      class: 'icon-button theme-toggle',
      'aria-label': 'Switch light or dark theme',
      title: 'Light / dark',
      onclick: parts.onTheme
    })
    const retry = h('button', { type: 'button', class: 'link-button', onclick: parts.onRetry }, 'Retry now')
    this.#banner.append(this.#bannerText, retry)
    document.body.append(
      h(
        'a',
        {
          class: 'skip-link',
          href: '#main',
          onclick: (event: Event) => (event.preventDefault(), this.main.focus())
        },
        'Skip to content'
      ),
      h(
        'header',
        { class: 'header' },
        brand,
        this.#nav,
        h('div', { class: 'header-side' }, parts.pill.element, theme)
      ),
      parts.timeBar.element,
      this.#banner,
      this.main,
      parts.toasts.element
    )
  }

  /** Marks the current view in the navigation and refreshes links (they carry the time range). */
  setCurrent(view: ViewName, href: (view: ViewName) => string): void {
    for (const link of this.#nav.querySelectorAll<HTMLAnchorElement>('a')) {
      const name = link.dataset.view as ViewName
      link.href = href(name)
      if (name === view || (view === 'symbol' && name === 'overview'))
        link.setAttribute('aria-current', 'page')
      else link.removeAttribute('aria-current')
    }
  }

  setUnseenAlerts(count: number): void {
    this.#alertCount.hidden = count === 0
    setText(this.#alertCount, count > 99 ? '99+' : String(count))
  }

  /** The outage banner: an overlay under the header, so showing it moves nothing. */
  setOutage(message: string | undefined): void {
    this.#banner.hidden = message === undefined
    if (message !== undefined) setText(this.#bannerText, message)
  }
}
