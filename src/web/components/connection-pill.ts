/**
 * The connection and freshness indicator in the header: the live stream's state (live, reconnecting
 * with the countdown to the next attempt, offline) and the age of the last live event. It stays about
 * the stream while the views show history (alerts still arrive live). Its width is fixed so the
 * header never shifts.
 */
import type { LiveSocket } from '../data/live-socket.ts'
import { h, setText } from '../lib/dom.ts'
import { formatAge, formatAgo } from '../lib/format.ts'

/** An event older than this makes the freshness label amber: the stream is open but quiet. */
const STALE_MS = 60_000

export class ConnectionPill {
  readonly element: HTMLButtonElement
  readonly #label = h('span', { class: 'pill-label' })
  readonly #detail = h('span', { class: 'pill-detail' })
  readonly #socket: LiveSocket

  constructor(socket: LiveSocket) {
    this.#socket = socket
    this.element = h(
      'button',
      {
        type: 'button',
        class: 'connection-pill',
        'data-testid': 'connection',
        title: 'Live stream state; click to reconnect now',
        onclick: () => socket.reconnectNow()
      },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      this.#label,
      this.#detail
    )
    socket.on('state', () => this.render())
    socket.on('event', () => this.render())
    this.render()
  }

  render(): void {
    const state = this.#socket.state
    const now = Date.now()
    const last = this.#socket.lastEventAt
    let label: string
    let detail: string
    let tone = state as string
    if (state === 'live') {
      label = 'Live'
      detail = last === undefined ? 'waiting for data' : `last event ${formatAgo(now - last)}`
      if (last !== undefined && now - last > STALE_MS) tone = 'stale'
    } else if (state === 'connecting') {
      label = 'Connecting'
      detail = ''
    } else {
      label = state === 'offline' ? 'Offline' : 'Reconnecting'
      const retryAt = this.#socket.retryAt
      detail =
        retryAt === undefined ? 'trying now' : `retry in ${formatAge(Math.max(0, retryAt - now) + 999)}`
    }
    this.element.dataset.state = state
    this.element.dataset.tone = tone
    setText(this.#label, label)
    setText(this.#detail, detail)
    this.element.setAttribute('aria-label', `Connection: ${label}${detail === '' ? '' : `, ${detail}`}`)
  }
}
