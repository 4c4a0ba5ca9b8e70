/**
 * The dashboard's entry point: wires the live socket, the time control and its feeds, the router
 * and the shell, and swaps views. Views are reloaded (snapshot + follow) when the time control moves
 * to another moment or mode, and after the live stream reconnects (it may have missed events).
 */
import './styles/base.css'
import './styles/shell.css'
import './styles/components.css'
import './styles/views.css'
import type { AppContext } from './app/context.ts'
import { type Route, TimeParams, type ViewName, formatHash, parseHash } from './app/router.ts'
import { Shell } from './app/shell.ts'
import { Theme } from './app/theme.ts'
import { TimeControl, type TimeState } from './app/time-control.ts'
import { ConnectionPill } from './components/connection-pill.ts'
import { TimeBar } from './components/time-bar.ts'
import { Toasts } from './components/toasts.ts'
import { type Feed, LiveFeed } from './data/feed.ts'
import { LiveSocket } from './data/live-socket.ts'
import { restHealth } from './data/rest.ts'
import { SymbolDirectory } from './data/symbol-directory.ts'
import type { Alert } from './data/types.ts'
import { h } from './lib/dom.ts'
import { toIso, toMs } from './lib/time.ts'
import { ReplayFeed } from './replay/replay-feed.ts'
import { AlertsView } from './views/alerts-view.ts'
import { OverviewView } from './views/overview-view.ts'
import { PipelineView } from './views/pipeline-view.ts'
import { SourceBanner } from './components/source-banner.ts'
import type { View } from './views/view.ts'

const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/stream`
const socket = new LiveSocket(wsUrl)
const time = new TimeControl()
const theme = new Theme()
const toasts = new Toasts()
const symbols = new SymbolDirectory()
const liveFeed = new LiveFeed(socket)
let replayFeed: ReplayFeed | undefined
let route: Route = parseHash(location.hash)
let view: View | undefined
let mounting = 0
let unseenAlerts = 0
let restDown = false

function timeParams(state: TimeState): Record<string, string> {
  return state.mode === 'live' ? {} : { from: toIso(state.from), to: toIso(state.to), at: toIso(state.at) }
}

function href(name: ViewName, options: { symbol?: string; params?: Record<string, string> } = {}): string {
  const params = new URLSearchParams({ ...options.params, ...timeParams(time.state) })
  return formatHash({
    view: name,
    params,
    ...(options.symbol === undefined ? {} : { symbol: options.symbol })
  })
}

const context: AppContext = {
  time,
  socket,
  symbols,
  toasts,
  feed: (): Feed => replayFeed ?? liveFeed,
  route: () => route,
  href,
  navigate(name, options = {}) {
    location.hash = href(name, options)
  },
  setParams(params) {
    for (const [name, value] of Object.entries(params))
      if (value === undefined) route.params.delete(name)
      else route.params.set(name, value)
    history.replaceState(null, '', formatHash(route))
  }
}

const pill = new ConnectionPill(socket)
const shell = new Shell({
  pill,
  timeBar: new TimeBar(time),
  toasts,
  href,
  onTheme: () => theme.toggle(),
  onRetry: () => {
    socket.reconnectNow()
    view?.reload()
  }
})

const viewTitles: Record<ViewName, string> = {
  overview: 'Markets',
  symbol: 'Chart',
  pressure: 'Pressure',
  news: 'News',
  movers: 'Market movers',
  alerts: 'Alerts',
  pipeline: 'Pipeline'
}

async function createView(next: Route): Promise<View> {
  switch (next.view) {
    case 'symbol': {
      const { SymbolView } = await import('./views/symbol-view.ts')
      return new SymbolView(context, next.symbol ?? 'BTC/USD')
    }
    case 'pressure': {
      const { PressureView } = await import('./views/pressure-view.ts')
      return new PressureView(context)
    }
    case 'news': {
      const { NewsView } = await import('./views/news-view.ts')
      return new NewsView(context)
    }
    case 'movers': {
      const { MoversView } = await import('./views/movers-view.ts')
      return new MoversView(context)
    }
    case 'alerts':
      return new AlertsView(context)
    case 'pipeline':
      return new PipelineView(context)
    case 'overview':
      return new OverviewView(context)
  }
}

async function show(next: Route): Promise<void> {
  const token = ++mounting
  let created: View
  try {
    created = await createView(next)
  } catch {
    // The view's code could not be fetched (the server is away): say so; a reconnect retries.
    if (token !== mounting) return
    view?.dispose()
    view = undefined
    shell.main.replaceChildren(
      h(
        'p',
        { class: 'panel empty' },
        'This view could not be loaded: the server is unreachable. It will load when the connection is back.'
      )
    )
    return
  }
  if (token !== mounting) return created.dispose()
  view?.dispose()
  view = created
  shell.main.replaceChildren(created.element)
  shell.main.dataset.view = next.view
  created.mount()
  shell.setCurrent(next.view, href)
  document.title = `${next.symbol ?? viewTitles[next.view]} · CRYPTO VIZ`
  if (next.view === 'alerts') setUnseen(0)
}

/** The time control from the address: a link to a moment opens at that moment. */
function applyTimeParams(params: URLSearchParams): void {
  const [from, to, at] = TimeParams.map(name => toMs(params.get(name) ?? ''))
  if (from !== undefined && to !== undefined && Number.isFinite(from) && Number.isFinite(to) && to > from) {
    const state = time.state
    const target = at !== undefined && Number.isFinite(at) ? at : to
    if (
      state.mode !== 'history' ||
      state.from !== from ||
      state.to !== to ||
      Math.abs(state.at - target) > 999
    )
      time.goBack(from, to, target)
  } else time.goLive()
}

/** The route's own parameters (not the time control's), to notice a hand-edited address. */
function viewParams(r: Route): string {
  const params = new URLSearchParams(r.params)
  for (const name of TimeParams) params.delete(name)
  params.sort()
  return params.toString()
}

function onRoute(): void {
  const next = parseHash(location.hash)
  const sameView = next.view === route.view && next.symbol === route.symbol
  const sameParams = viewParams(next) === viewParams(route)
  route = next
  const before = time.state
  applyTimeParams(next.params)
  if (!sameView || view === undefined) void show(next)
  // A changed time already reloaded the view; other changed parameters reload it here.
  else if (!sameParams && time.state === before) view.reload()
}

function writeTimeToAddress(state: TimeState): void {
  for (const name of TimeParams) route.params.delete(name)
  for (const [name, value] of Object.entries(timeParams(state))) route.params.set(name, value)
  history.replaceState(null, '', formatHash(route))
  shell.setCurrent(route.view, href)
}

time.on('change', ({ state, reason }) => {
  if (reason === 'tick' || reason === 'speed') return
  writeTimeToAddress(state)
  if (reason === 'mode') {
    replayFeed?.dispose()
    replayFeed = state.mode === 'history' ? new ReplayFeed(time) : undefined
  }
  if (reason === 'mode' || reason === 'seek') view?.reload()
})

function setUnseen(count: number): void {
  unseenAlerts = count
  shell.setUnseenAlerts(count)
}

// Alerts notify whatever the view and time shown: they are about now.
socket.subscribe('alerts', event => {
  const alert = event.data as Alert
  if (route.view === 'alerts') return
  setUnseen(unseenAlerts + 1)
  toasts.show({
    title: alert.title,
    body: `${alert.symbol === '*' ? 'market' : alert.symbol} · ${alert.message}`,
    tone: alert.severity,
    onClick: () => context.navigate('alerts')
  })
})

function renderOutage(): void {
  const state = socket.state
  const streamDown = state === 'reconnecting' || state === 'offline'
  shell.setOutage(
    streamDown || restDown
      ? `The API is unreachable: showing the last data received. Reconnecting by itself${streamDown ? '' : ' (requests are retried)'}.`
      : undefined
  )
}

restHealth.on('outcome', ({ ok }) => {
  if (restDown === !ok) return
  restDown = !ok
  renderOutage()
})
socket.on('state', renderOutage)
socket.on('reconnected', () => {
  restDown = false
  renderOutage()
  if (view === undefined) void show(route)
  else if (time.state.mode === 'live') view.reload()
})
theme.on('change', () => view?.themeChanged())
window.setInterval(() => {
  pill.render()
  view?.tick(time.now())
}, 1_000)
addEventListener('hashchange', onRoute)

applyTimeParams(route.params)
socket.start()
// Where the data comes from (live input unreachable, replayed data): the embedded mode's notices.
new SourceBanner().start()
void show(route).then(() => {
  // Fetch the other views' code while idle: navigating is then instant, and works during an outage.
  const prefetch = (): void =>
    void Promise.all([import('./views/symbol-view.ts'), import('./views/news-view.ts')]).catch(
      () => undefined
    )
  if ('requestIdleCallback' in window) requestIdleCallback(prefetch, { timeout: 3_000 })
  else setTimeout(prefetch, 1_000)
})
