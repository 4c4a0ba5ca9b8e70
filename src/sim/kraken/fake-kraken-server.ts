/**
 * A loopback Kraken: the WebSocket v2 API on `/v2` and the public REST API on `/0/public/*`, one
 * HTTP server, fed by a market source (synthetic or recorded). It pushes `status` on connect,
 * heartbeats once per `heartbeatMs` on connections with subscriptions and nothing else to say,
 * and fans market events out to subscribers: recorded frames verbatim, synthetic ones built with
 * lexemes, book updates as diffs of each subscriber's depth-limited view (refilling depth after a
 * delete, as Kraken does) with the checksum of the resulting book.
 *
 * Fault switches (`faults`, or `POST /_sim/faults/<name>` for other processes) reproduce what real
 * clients meet: dropped connections (1001/1006, optionally refusing reconnects for a while), total
 * silence, silence with heartbeats, a corrupted checksum, rate-limit replies on WS and REST, a
 * maintenance status, rejected pairs and malformed frames.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { type WebSocket, WebSocketServer } from 'ws'
import { bookFrame, nowRfc3339, ohlcFrame, statusFrame, tickerFrame, tradeFrame } from './frames-out.ts'
import { KrakenSession, type SessionHost, type Sub } from './kraken-session.ts'
import type { MarketEvent, MarketSource } from './market.ts'
import { restReply } from './rest-routes.ts'
import { viewChecksum, viewDiff } from './sim-book.ts'
import { type FaultSwitches, controlRoute } from './sim-control.ts'

export interface FakeKrakenOptions {
  market: MarketSource
  host?: string
  /** 0 picks a free port. */
  port?: number
  /** Heartbeat period on idle subscribed connections (Kraken: about 1 s). */
  heartbeatMs?: number
  /**
   * The clock of the reconnect refusal after `faults.drop` (default Date.now): a test moves it past
   * the window instead of sleeping through it, so the window's end does not race the machine.
   */
  now?: () => number
}

export interface FakeKrakenStats {
  connections: number
  open: number
  requests: { method: string; params: Record<string, unknown> }[]
  rest: Record<string, number>
}

export interface FakeKraken {
  readonly wsUrl: string
  readonly restUrl: string
  readonly port: number
  readonly market: MarketSource
  readonly faults: FaultSwitches
  stats(): FakeKrakenStats
  close(): Promise<void>
}

export async function startFakeKraken(options: FakeKrakenOptions): Promise<FakeKraken> {
  const market = options.market
  const heartbeatMs = options.heartbeatMs ?? 1_000
  const clock = options.now ?? Date.now
  const sessions = new Set<KrakenSession>()
  const wss = new WebSocketServer({ noServer: true })
  const stats: FakeKrakenStats = { connections: 0, open: 0, requests: [], rest: {} }
  const state = {
    refuseUntil: 0,
    maintenance: false,
    wsRateLimits: 0,
    restRateLimits: 0,
    restRateLimitMode: 'envelope' as 'envelope' | 'http',
    corrupt: new Set<string>(),
    rejected: new Set<string>()
  }
  let connectionId = 18_125_794_168_470_749_634n

  const host: SessionHost = {
    market,
    rejected: state.rejected,
    takeWsRateLimit: () => state.wsRateLimits > 0 && state.wsRateLimits-- > 0,
    inMaintenance: () => state.maintenance,
    logRequest: (method, params) => {
      stats.requests.push({ method, params })
      if (stats.requests.length > 10_000) stats.requests.splice(0, 5_000)
    },
    takeCorruption: symbol => state.corrupt.delete(symbol) || state.corrupt.delete('*')
  }

  const faults: FaultSwitches = {
    drop({ code = 1006, refuseMs = 0 } = {}) {
      state.refuseUntil = clock() + refuseMs
      const count = sessions.size
      for (const session of sessions) {
        if (code === 1006) session.socket.terminate()
        else session.socket.close(code, code === 1001 ? 'CloudFlare WebSocket proxy restarting' : 'closing')
      }
      sessions.clear()
      return count
    },
    silence() {
      for (const session of sessions) session.silent = true
    },
    heartbeatOnly() {
      for (const session of sessions) for (const sub of session.subs.values()) sub.muted = true
    },
    corruptChecksum(symbol = '*') {
      state.corrupt.add(symbol)
    },
    restRateLimit(count, mode = 'envelope') {
      state.restRateLimits = count
      state.restRateLimitMode = mode
    },
    wsRateLimit(count) {
      state.wsRateLimits = count
    },
    maintenance(on) {
      state.maintenance = on
      for (const session of sessions)
        session.send(statusFrame(on ? 'maintenance' : 'online', String(connectionId)))
    },
    rejectSymbols(symbols) {
      for (const symbol of symbols) state.rejected.add(symbol)
    },
    sendMalformed() {
      for (const session of sessions) {
        session.send('{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","price":')
        session.send(
          '{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":"abc","qty":1,"trade_id":-1}]}'
        )
        session.send('[1,2,3]')
      }
    },
    reset() {
      Object.assign(state, { refuseUntil: 0, wsRateLimits: 0, restRateLimits: 0 })
      state.corrupt.clear()
      state.rejected.clear()
      if (state.maintenance) faults.maintenance(false)
    }
  }

  const onEvent = (event: MarketEvent): void => {
    if (state.maintenance) return
    for (const session of sessions) {
      const channel = event.kind === 'trades' ? 'trade' : event.kind
      const sub = session.subs.get(`${channel}|${event.symbol}`)
      if (sub === undefined || sub.muted) continue
      const text = frameFor(event, sub)
      if (text !== '') session.send(text)
    }
  }

  const frameFor = (event: MarketEvent, sub: Sub): string => {
    const corrupt = (text: string): string =>
      event.kind === 'book' && host.takeCorruption(event.symbol)
        ? text.replace(/"checksum":(\d+)/, (_all, value: string) => `"checksum":${(Number(value) + 1) >>> 0}`)
        : text
    if (event.raw !== undefined) return corrupt(event.raw)
    switch (event.kind) {
      case 'trades':
        return tradeFrame(event.symbol, 'update', event.trades)
      case 'ticker': {
        const ticker = market.ticker(event.symbol)
        return ticker === undefined ? '' : tickerFrame(event.symbol, 'update', ticker)
      }
      case 'book': {
        const book = market.book(event.symbol)
        if (book === undefined || sub.lastView === undefined) return ''
        const view = book.view(sub.depth)
        const diff = viewDiff(sub.lastView, view, '0.00000000')
        sub.lastView = view
        if (diff.bids.length === 0 && diff.asks.length === 0) return ''
        return corrupt(bookFrame(event.symbol, 'update', diff, viewChecksum(view), nowRfc3339()))
      }
      case 'ohlc': {
        const begin = Math.floor(Date.now() / 1000 / (sub.interval * 60)) * sub.interval * 60
        const candle = market.history
          .candles(event.symbol, sub.interval * 60, market.precision(event.symbol), begin)
          .at(-1)
        return candle === undefined ? '' : ohlcFrame(event.symbol, 'update', sub.interval, [candle])
      }
    }
  }

  const unlisten = market.listen(onEvent)
  const heartbeat = setInterval(
    () => {
      const now = Date.now()
      for (const session of sessions) {
        if (session.subs.size > 0 && now - session.lastSentAt >= heartbeatMs)
          session.send('{"channel":"heartbeat"}')
      }
    },
    Math.max(10, heartbeatMs / 4)
  )

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (url.pathname.startsWith('/_sim/')) {
      const reply = controlRoute(url, faults, () => ({
        ...stats,
        requests: stats.requests.length,
        maintenance: state.maintenance
      }))
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body)
      return
    }
    if (!url.pathname.startsWith('/0/public/')) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":["EGeneral:Unknown method"]}')
      return
    }
    const endpoint = url.pathname.slice('/0/public/'.length)
    stats.rest[endpoint] = (stats.rest[endpoint] ?? 0) + 1
    if (state.restRateLimits > 0) {
      state.restRateLimits--
      if (state.restRateLimitMode === 'http')
        response.writeHead(429, { 'content-type': 'text/plain' }).end('Too Many Requests')
      else
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"error":["EGeneral:Too many requests"]}')
      return
    }
    const reply = restReply(
      market,
      url.pathname,
      url.searchParams,
      state.maintenance ? 'maintenance' : 'online'
    )
    response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body)
  })

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (clock() < state.refuseUntil || (path !== '/v2' && path !== '/')) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      const session = new KrakenSession(ws, host)
      sessions.add(session)
      stats.connections++
      connectionId++
      ws.on('message', data => session.onMessage(data.toString()))
      ws.on('close', () => sessions.delete(session))
      ws.on('error', () => sessions.delete(session))
      session.send(statusFrame(state.maintenance ? 'maintenance' : 'online', String(connectionId)))
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const hostname = options.host ?? '127.0.0.1'
  return {
    wsUrl: `ws://${hostname}:${port}/v2`,
    restUrl: `http://${hostname}:${port}`,
    port,
    market,
    faults,
    stats: () => ({ ...stats, open: sessions.size }),
    close: async () => {
      unlisten()
      clearInterval(heartbeat)
      for (const session of sessions) session.socket.terminate()
      sessions.clear()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
