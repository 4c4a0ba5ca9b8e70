/**
 * Unobtrusive notifications: a small stack in a corner that never covers more than three messages,
 * fades on its own, is announced politely to screen readers, and never moves the page.
 */
import { h } from '../lib/dom.ts'

const MAX_VISIBLE = 3
const DISMISS_AFTER_MS = 7_000

export interface ToastOptions {
  title: string
  body?: string
  tone?: 'info' | 'warning' | 'critical' | 'success'
  onClick?: () => void
}

export class Toasts {
  readonly element = h('div', { class: 'toasts', 'aria-live': 'polite', 'aria-atomic': 'false' })

  show(options: ToastOptions): void {
    const toast = h(
      'div',
      { class: `toast toast-${options.tone ?? 'info'}`, role: 'status' },
      h('div', { class: 'toast-title' }, options.title),
      options.body === undefined ? null : h('div', { class: 'toast-body' }, options.body)
    )
    const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss' }, '×')
    toast.append(close)
    const remove = (): void => {
      toast.classList.add('toast-leaving')
      window.setTimeout(() => toast.remove(), 200)
    }
    close.addEventListener('click', event => {
      event.stopPropagation()
      remove()
    })
    if (options.onClick !== undefined) {
      const onClick = options.onClick
      toast.classList.add('toast-clickable')
      toast.addEventListener('click', () => {
        onClick()
        remove()
      })
    }
    this.element.prepend(toast)
    while (this.element.children.length > MAX_VISIBLE) this.element.lastElementChild?.remove()
    window.setTimeout(remove, DISMISS_AFTER_MS)
  }
}
