/**
 * A loopback TCP proxy a test can cut and restore, to put a real component (Kafka, PostgreSQL, Redis)
 * "down" for one client without disturbing anyone else using it.
 *
 * - `cut()` closes every open connection and refuses new ones (the port stays closed, as for a dead
 *   host); `restore()` accepts again.
 * - For Kafka use `kafkaFaultProxy()`: the broker started by scripts/infra.sh has two extra listeners
 *   (19092, 19094) that advertise the port above them (19093, 19095), where this proxy listens, so
 *   every connection of a client bootstrapped there goes through the proxy, metadata included.
 */
import { type Server, type Socket, createConnection, createServer } from 'node:net'
import { waitFor } from './wait.ts'

export interface TcpProxy {
  readonly port: number
  /** Drops open connections and stops accepting new ones. */
  cut(): Promise<void>
  /** Accepts connections again. */
  restore(): Promise<void>
  close(): Promise<void>
}

export async function startTcpProxy(options: {
  targetPort: number
  targetHost?: string
  listenPort?: number
}): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = options.listenPort ?? 0

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const next = createServer(client => {
        const upstream = createConnection(options.targetPort, options.targetHost ?? '127.0.0.1')
        sockets.add(client).add(upstream)
        client.pipe(upstream).pipe(client)
        const drop = (): void => {
          client.destroy()
          upstream.destroy()
          sockets.delete(client)
          sockets.delete(upstream)
        }
        client.on('error', drop).on('close', drop)
        upstream.on('error', drop).on('close', drop)
      })
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => {
        const address = next.address()
        if (typeof address === 'object' && address) port = address.port
        server = next
        resolve()
      })
    })

  const stop = (): Promise<void> =>
    new Promise(resolve => {
      for (const socket of sockets) socket.destroy()
      sockets.clear()
      if (server === undefined) return resolve()
      const closing = server
      server = undefined
      closing.close(() => resolve())
    })

  await listen()
  return {
    get port() {
      return port
    },
    cut: stop,
    restore: listen,
    close: stop
  }
}

const faultListeners = [
  { brokerPort: 19092, proxyPort: 19093 },
  { brokerPort: 19094, proxyPort: 19095 }
]

/**
 * Claims one of the broker's fault listeners and returns a proxy in front of it, with the bootstrap
 * servers to give the client under test. While both are in use by other tests it waits for one to
 * be released: those run in processes of their own, so the only sign of a release is that the port
 * can be taken again. The default bound is well beyond any holder's outage scenario on a busy
 * machine, and within the per-test timeout, so a real leak still fails with this message.
 */
export async function kafkaFaultProxy(timeoutMs = 120_000): Promise<TcpProxy & { servers: string[] }> {
  const claim = async (): Promise<(TcpProxy & { servers: string[] }) | undefined> => {
    for (const { brokerPort, proxyPort } of faultListeners) {
      try {
        const proxy = await startTcpProxy({ targetPort: brokerPort, listenPort: proxyPort })
        return Object.assign(proxy, { servers: [`127.0.0.1:${proxyPort}`] })
      } catch {
        // in use by another test: try the other one, then wait
      }
    }
    return undefined
  }
  return waitFor('a free Kafka fault listener', claim, timeoutMs, 500)
}
