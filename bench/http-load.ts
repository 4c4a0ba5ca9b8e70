/**
 * A minimal HTTP/1.1 load generator over raw keep-alive sockets: one request in flight per
 * connection, responses framed by Content-Length and not parsed further. Node's own HTTP client
 * costs more CPU per request than the server under test, which on a 2-core machine would measure
 * the client; this one leaves the core to the server.
 */
import { type Socket, connect } from 'node:net'

export interface LoadResult {
  requests: number
  seconds: number
  /** Per-request latencies, ms, sorted. */
  latencies: number[]
  bytes: number
}

const HEADER_END = Buffer.from('\r\n\r\n')

function connection(port: number, request: Buffer, until: number, latencies: number[] | undefined) {
  return new Promise<{ requests: number; bytes: number }>((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1')
    socket.setNoDelay(true)
    let pending = Buffer.alloc(0)
    let started = 0
    let requests = 0
    let bytes = 0
    const send = (): void => {
      if (performance.now() >= until) {
        socket.end()
        resolve({ requests, bytes })
        return
      }
      started = performance.now()
      socket.write(request)
    }
    socket.on('connect', send)
    socket.on('error', reject)
    socket.on('data', chunk => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      const headerEnd = pending.indexOf(HEADER_END)
      if (headerEnd < 0) return
      const head = pending.subarray(0, headerEnd).toString('latin1')
      if (!head.startsWith('HTTP/1.1 200')) {
        reject(new Error(`unexpected answer: ${head.split('\r\n')[0]}`))
        socket.destroy()
        return
      }
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN)
      if (!Number.isFinite(length)) {
        reject(new Error('answer without content-length'))
        socket.destroy()
        return
      }
      const total = headerEnd + HEADER_END.length + length
      if (pending.length < total) return
      latencies?.push(performance.now() - started)
      requests++
      bytes += length
      pending = pending.subarray(total)
      send()
    })
  })
}

export async function load(options: {
  port: number
  path: string
  connections: number
  seconds: number
  record?: boolean
  /** Extra request headers (e.g. a browser's Accept-Encoding). */
  headers?: Record<string, string>
}): Promise<LoadResult> {
  const extra = Object.entries(options.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')
  const request = Buffer.from(
    `GET ${options.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n${extra}\r\n`
  )
  const latencies: number[] = []
  const started = performance.now()
  const until = started + options.seconds * 1000
  const results = await Promise.all(
    Array.from({ length: options.connections }, () =>
      connection(options.port, request, until, options.record === false ? undefined : latencies)
    )
  )
  return {
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    bytes: results.reduce((sum, r) => sum + r.bytes, 0),
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.sort((a, b) => a - b)
  }
}
