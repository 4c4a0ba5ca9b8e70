/**
 * A list of alerts, newest first: severity, title, message, symbol and when it happened. Fixed row
 * height and a bounded length, like the article list, so alerts streaming in never jolt the page.
 */
import type { Alert } from '../data/types.ts'
import { h } from '../lib/dom.ts'
import { formatAgo, formatDateTime } from '../lib/format.ts'
import { toMs } from '../lib/time.ts'

const SeverityIcon: Record<Alert['severity'], string> = { info: 'ℹ', warning: '▲', critical: '◆' }

export class AlertList {
  readonly element: HTMLOListElement
  readonly #max: number
  #alerts: Alert[] = []
  #now: () => number = () => Date.now()

  constructor(max: number, empty: string) {
    this.#max = max
    this.element = h('ol', { class: 'alert-list', 'data-empty': empty })
  }

  get alerts(): readonly Alert[] {
    return this.#alerts
  }

  setClock(now: () => number): void {
    this.#now = now
  }

  set(alerts: readonly Alert[]): void {
    this.#alerts = [...alerts].slice(0, this.#max)
    this.element.replaceChildren(...this.#alerts.map(alert => this.#row(alert, false)))
  }

  /** Appends older alerts (a further page) at the end. */
  extend(alerts: readonly Alert[]): void {
    const known = new Set(this.#alerts.map(a => a.id))
    const fresh = alerts.filter(a => !known.has(a.id))
    this.#alerts.push(...fresh)
    this.element.append(...fresh.map(alert => this.#row(alert, false)))
  }

  /** Adds a live alert where the API's order (newest event first) puts it, so a reload agrees. */
  add(alert: Alert): void {
    if (this.#alerts.some(a => a.id === alert.id)) return
    const index = this.#alerts.findIndex(a => a.eventTs < alert.eventTs)
    const at = index < 0 ? this.#alerts.length : index
    if (at >= this.#max) return
    this.#alerts.splice(at, 0, alert)
    const row = this.#row(alert, true)
    const next = this.element.children[at]
    if (next === undefined) this.element.append(row)
    else this.element.insertBefore(row, next)
    while (this.#alerts.length > this.#max) {
      this.#alerts.pop()
      this.element.lastElementChild?.remove()
    }
  }

  tick(): void {
    this.#alerts.forEach((alert, i) => {
      const age = this.element.children[i]?.querySelector('.age')
      if (age) age.textContent = formatAgo(this.#now() - toMs(alert.eventTs))
    })
  }

  #row(alert: Alert, fresh: boolean): HTMLElement {
    return h(
      'li',
      { class: `alert alert-${alert.severity}${fresh ? ' is-new' : ''}`, 'data-id': alert.id },
      h(
        'span',
        { class: 'severity', title: alert.severity, 'aria-label': alert.severity },
        SeverityIcon[alert.severity]
      ),
      h(
        'div',
        { class: 'alert-main' },
        h(
          'div',
          { class: 'alert-title' },
          alert.kind === 'whale_trade' ? h('span', { class: 'alert-kind kind-whale' }, 'Whale') : null,
          alert.title
        ),
        h('div', { class: 'alert-message' }, alert.message)
      ),
      h(
        'div',
        { class: 'alert-side' },
        h('span', { class: 'alert-symbol' }, alert.symbol === '*' ? 'market' : alert.symbol),
        h(
          'time',
          { class: 'age', datetime: alert.eventTs, title: formatDateTime(toMs(alert.eventTs)) },
          formatAgo(this.#now() - toMs(alert.eventTs))
        )
      )
    )
  }
}
