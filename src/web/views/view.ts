/**
 * What every view shares: it reads a snapshot as of the feed's present and then follows the feed;
 * `reload()` starts over (a new moment, a new mode, a reconnect that may have missed events).
 * Events that arrive while the snapshot is being read are held and applied after it, so nothing
 * between the read and the subscription is lost.
 */
import type { AppContext } from '../app/context.ts'
import type { Feed } from '../data/feed.ts'
import type { LiveEvent } from '../data/types.ts'
import { h } from '../lib/dom.ts'

const MAX_HELD_EVENTS = 5_000

export abstract class View {
  readonly element: HTMLElement
  protected readonly context: AppContext
  #unsubscribe: (() => void)[] = []
  #abort = new AbortController()
  #ready = false
  #held: (() => void)[] = []

  constructor(context: AppContext, className: string) {
    this.context = context
    this.element = h('section', { class: `view ${className}` })
  }

  /** Called once the element is in the document (charts need a laid-out container). */
  mount(): void {
    this.reload()
  }

  reload(): void {
    this.#stopFollowing()
    this.#abort = new AbortController()
    this.#ready = false
    this.#held = []
    void this.load(this.context.feed(), this.#abort.signal)
  }

  dispose(): void {
    this.#stopFollowing()
  }

  /** Theme switched: views with canvases restyle them. */
  themeChanged(): void {}

  /** Once a second: views refresh relative times ("3 s ago"). */
  tick(_now: number): void {}

  protected abstract load(feed: Feed, signal: AbortSignal): Promise<void>

  /** Subscribes for this load; the handler runs after `ready()`, earlier events wait for it. */
  protected listen(feed: Feed, channel: string, handler: (event: LiveEvent) => void): void {
    this.#unsubscribe.push(
      feed.subscribe(channel, event => {
        if (this.#ready) handler(event)
        else if (this.#held.length < MAX_HELD_EVENTS) this.#held.push(() => handler(event))
      })
    )
  }

  /** The snapshot is drawn: apply what arrived meanwhile, then follow the feed directly. */
  protected ready(): void {
    this.#ready = true
    const held = this.#held
    this.#held = []
    for (const apply of held) apply()
  }

  #stopFollowing(): void {
    this.#abort.abort()
    for (const unsubscribe of this.#unsubscribe) unsubscribe()
    this.#unsubscribe = []
  }
}
