/**
 * Alerts: every alert the analytics job raised (price moves, volume spikes, spread widening,
 * sentiment swings, whale trades), newest first, filtered by severity and symbol, with older pages
 * on request. New alerts stream in at the top; the shell also shows each as a small notification.
 */
import { Severities } from '../../contract/vocabulary.ts'
import type { AppContext } from '../app/context.ts'
import { AlertList } from '../components/alert-list.ts'
import { InlineError, retrying } from '../components/retrying.ts'
import { type Feed, snapshotTo } from '../data/feed.ts'
import { getJson } from '../data/rest.ts'
import type { Alert } from '../data/types.ts'
import { h } from '../lib/dom.ts'
import { View } from './view.ts'

const PAGE = 50
interface AlertsPage {
  alerts: Alert[]
  nextCursor: string | null
}

export class AlertsView extends View {
  readonly #list = new AlertList(1000, 'No alerts match these filters')
  readonly #error = new InlineError()
  readonly #severity = h(
    'select',
    { 'aria-label': 'Severity' },
    h('option', { value: '' }, 'All severities'),
    ...[...Severities].reverse().map(s => h('option', { value: s }, s))
  )
  readonly #symbol = h('input', {
    type: 'search',
    placeholder: 'BTC/USD, BTC or *',
    'aria-label': 'Symbol or coin',
    maxlength: 33
  })
  readonly #more = h('button', { type: 'button', class: 'secondary load-more', hidden: true }, 'Older alerts')
  #cursor: string | null = null

  constructor(context: AppContext) {
    super(context, 'alerts')
    this.#list.setClock(() => context.time.now())
    const filters = h(
      'form',
      { class: 'filters', role: 'search' },
      h('label', {}, h('span', {}, 'Severity'), this.#severity),
      h('label', {}, h('span', {}, 'Symbol'), this.#symbol)
    )
    filters.addEventListener('submit', event => event.preventDefault())
    this.#severity.addEventListener('change', () => this.#applyFilters())
    this.#symbol.addEventListener('change', () => this.#applyFilters())
    this.#more.addEventListener('click', () => void this.#loadMore())
    this.element.append(
      h('h1', { class: 'visually-hidden' }, 'Alerts'),
      filters,
      h(
        'section',
        { class: 'panel alerts-panel', 'aria-label': 'Alerts' },
        this.#list.element,
        this.#more,
        this.#error.element
      )
    )
  }

  override tick(): void {
    this.#list.tick()
  }

  protected async load(feed: Feed, signal: AbortSignal): Promise<void> {
    const filter = this.#filter()
    this.#severity.value = filter.severity ?? ''
    this.#symbol.value = filter.symbol ?? ''
    this.listen(feed, 'alerts', event => {
      const alert = event.data as Alert
      if (
        (filter.severity === undefined || alert.severity === filter.severity) &&
        (filter.symbol === undefined || alert.symbol === filter.symbol)
      )
        this.#list.add(alert)
    })
    const page = await retrying(
      'alerts',
      s => getJson<AlertsPage>('/api/alerts', { ...filter, limit: PAGE, to: snapshotTo(feed) }, s),
      this.#error,
      signal
    )
    if (page === undefined) return
    this.#list.set(page.alerts)
    this.#cursor = page.nextCursor
    this.#more.hidden = page.nextCursor === null
    this.ready()
  }

  #filter(): { severity?: string; symbol?: string } {
    const params = this.context.route().params
    const severity = params.get('severity')
    const symbol = params.get('symbol')
    return { ...(severity ? { severity } : {}), ...(symbol ? { symbol } : {}) }
  }

  #applyFilters(): void {
    const symbol = this.#symbol.value.trim().toUpperCase()
    this.context.setParams({
      severity: this.#severity.value || undefined,
      symbol: symbol === '' ? undefined : symbol
    })
    this.reload()
  }

  async #loadMore(): Promise<void> {
    if (this.#cursor === null) return
    this.#more.disabled = true
    try {
      const page = await getJson<AlertsPage>('/api/alerts', {
        ...this.#filter(),
        limit: PAGE,
        cursor: this.#cursor
      })
      this.#list.extend(page.alerts)
      this.#cursor = page.nextCursor
      this.#more.hidden = page.nextCursor === null
    } catch {
      // The outage banner says why; the button stays for another try.
    } finally {
      this.#more.disabled = false
    }
  }
}
