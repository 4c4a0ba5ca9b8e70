/**
 * The fault switches of the fake Kraken, and their HTTP form (`POST /_sim/faults/<name>?…`,
 * `GET /_sim/status`) so a server started by `crypto-viz sim` can be disturbed from another
 * process (a demo, another engineer's test) with curl.
 */
export interface FaultSwitches {
  /** Closes every connection (1006 abnormal by default, or 1001 "going away"); refuses reconnects for `refuseMs`. */
  drop(options?: { code?: 1000 | 1001 | 1006 | 1008 | 1011; refuseMs?: number }): number
  /** Current connections stop sending anything: no data, no heartbeats, no pongs. */
  silence(): void
  /** Current subscriptions stop delivering data; heartbeats and pongs continue (nautilus #4255). */
  heartbeatOnly(): void
  /** The next book message (for `symbol`, or any) carries a wrong checksum. */
  corruptChecksum(symbol?: string): void
  /** The next `count` REST calls fail: `{"error":["EGeneral:Too many requests"]}` with HTTP 200, or HTTP 429. */
  restRateLimit(count: number, mode?: 'envelope' | 'http'): void
  /** The next `count` WebSocket requests get `{"Error":"Exceeded msg rate"}`. */
  wsRateLimit(count: number): void
  /** Pushes status maintenance (or online) and stops (resumes) market data. */
  maintenance(on: boolean): void
  /** Subscriptions for these pairs are rejected ("Currency pair not supported"). */
  rejectSymbols(symbols: readonly string[]): void
  /** Sends a truncated frame, a frame with bad values and a non-object frame to every connection. */
  sendMalformed(): void
  /** Clears every armed fault. */
  reset(): void
}

export function controlRoute(
  url: URL,
  faults: FaultSwitches,
  status: () => unknown
): { status: number; body: string } {
  const name = url.pathname.replace(/^\/_sim\/(faults\/)?/, '')
  const q = url.searchParams
  const num = (key: string, fallback: number): number => Number(q.get(key) ?? fallback)
  const done = (detail: unknown = 'ok') => ({ status: 200, body: JSON.stringify({ fault: name, detail }) })
  switch (name) {
    case 'status':
      return { status: 200, body: JSON.stringify(status()) }
    case 'drop': {
      const code = num('code', 1006)
      if (![1000, 1001, 1006, 1008, 1011].includes(code)) break
      return done(
        faults.drop({ code: code as 1000 | 1001 | 1006 | 1008 | 1011, refuseMs: num('refuseMs', 0) })
      )
    }
    case 'silence':
      faults.silence()
      return done()
    case 'heartbeat-only':
      faults.heartbeatOnly()
      return done()
    case 'corrupt-checksum':
      faults.corruptChecksum(q.get('symbol') ?? undefined)
      return done()
    case 'rest-rate-limit':
      faults.restRateLimit(num('count', 1), q.get('mode') === 'http' ? 'http' : 'envelope')
      return done()
    case 'ws-rate-limit':
      faults.wsRateLimit(num('count', 1))
      return done()
    case 'maintenance':
      faults.maintenance(q.get('on') !== 'false')
      return done()
    case 'reject':
      faults.rejectSymbols((q.get('symbols') ?? '').split(',').filter(Boolean))
      return done()
    case 'malformed':
      faults.sendMalformed()
      return done()
    case 'reset':
      faults.reset()
      return done()
  }
  return {
    status: 404,
    body: JSON.stringify({
      error: `unknown control ${name}`,
      faults: [
        'drop?code&refuseMs',
        'silence',
        'heartbeat-only',
        'corrupt-checksum?symbol',
        'rest-rate-limit?count&mode',
        'ws-rate-limit?count',
        'maintenance?on',
        'reject?symbols',
        'malformed',
        'reset'
      ],
      status: '/_sim/status'
    })
  }
}
