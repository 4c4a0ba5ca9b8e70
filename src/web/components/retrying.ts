/**
 * A REST read that keeps trying: on failure it says so inside the panel that needed the data (what
 * failed, why, when the next attempt is, a "Retry now" button), backs off with jitter, and clears
 * the message once a read succeeds. The message is an overlay in space the panel already has, so
 * an outage never moves the layout.
 */
import { ApiRequestError } from '../data/rest.ts'
import { backoffDelay } from '../../lib/backoff.ts'
import { h, setText } from '../lib/dom.ts'

export class InlineError {
  readonly element: HTMLElement
  readonly #text: HTMLElement
  readonly #retry: HTMLButtonElement
  #retryNow: (() => void) | undefined

  constructor() {
    this.#text = h('span', { class: 'inline-error-text' })
    this.#retry = h(
      'button',
      { type: 'button', class: 'link-button', onclick: () => this.#retryNow?.() },
      'Retry now'
    )
    this.element = h('div', { class: 'inline-error', role: 'status', hidden: true }, this.#text, this.#retry)
  }

  show(message: string, onRetry: () => void): void {
    this.#retryNow = onRetry
    setText(this.#text, message)
    this.element.hidden = false
  }

  hide(): void {
    this.element.hidden = true
  }
}

function reason(error: unknown): string {
  if (error instanceof ApiRequestError) return error.message
  return error instanceof Error ? error.message : String(error)
}

/** Runs `read` until it succeeds or `signal` aborts; undefined when aborted. */
export async function retrying<T>(
  what: string,
  read: (signal: AbortSignal) => Promise<T>,
  slot: InlineError,
  signal: AbortSignal
): Promise<T | undefined> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      const value = await read(signal)
      slot.hide()
      return value
    } catch (error) {
      if (signal.aborted) return undefined
      const delay = backoffDelay(attempt + 1, { initialMs: 1_000, maxMs: 20_000, floorMs: 500 })
      await new Promise<void>(resolve => {
        const due = Date.now() + delay
        const done = (): void => {
          clearInterval(countdown)
          clearTimeout(timer)
          signal.removeEventListener('abort', done)
          resolve()
        }
        const render = (): void =>
          slot.show(
            `Couldn't load ${what}: ${reason(error)}. Retrying in ${Math.max(1, Math.ceil((due - Date.now()) / 1000))} s.`,
            done
          )
        const countdown = window.setInterval(render, 1_000)
        const timer = window.setTimeout(done, delay)
        signal.addEventListener('abort', done)
        render()
      })
    }
  }
  return undefined
}
