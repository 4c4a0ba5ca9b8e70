/** What the shell hands every view: the time control, the feed of the current mode, shared data. */
import type { Feed } from '../data/feed.ts'
import type { LiveSocket } from '../data/live-socket.ts'
import type { SymbolDirectory } from '../data/symbol-directory.ts'
import type { Toasts } from '../components/toasts.ts'
import type { Route, ViewName } from './router.ts'
import type { TimeControl } from './time-control.ts'

export interface AppContext {
  readonly time: TimeControl
  readonly socket: LiveSocket
  readonly symbols: SymbolDirectory
  readonly toasts: Toasts
  /** The feed of the current mode: the WebSocket when live, the replay feed otherwise. */
  feed(): Feed
  route(): Route
  /** Goes to a view; the time control's parameters are kept. */
  navigate(view: ViewName, options?: { symbol?: string; params?: Record<string, string> }): void
  /** The link to a view, keeping the time control's parameters. */
  href(view: ViewName, options?: { symbol?: string; params?: Record<string, string> }): string
  /** Rewrites the current view's own parameters in the address without reloading it. */
  setParams(params: Record<string, string | undefined>): void
}
