/**
 * The operations endpoint every role exposes: `/health/live`, `/health/ready` (503 while a critical
 * check is down) and `/metrics` (Prometheus text format). Plain node:http: it must stay up and cheap
 * even when the role's own HTTP stack (if any) is busy.
 */
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'
import type { Health } from './health.ts'
import { portInUse } from './port-in-use.ts'

export interface OpsServer {
  readonly port: number
  close(): Promise<void>
}

export async function startOpsServer(options: {
  host: string
  port: number
  health: Health
  metrics: Registry
}): Promise<OpsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    if (path === '/health/live' || path === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ status: 'up' }))
      return
    }
    if (path === '/health/ready') {
      const report = options.health.report()
      response.writeHead(report.status === 'down' ? 503 : 200, { 'content-type': 'application/json' })
      response.end(JSON.stringify(report))
      return
    }
    if (path === '/metrics') {
      options.metrics
        .metrics()
        .then(text => {
          response.writeHead(200, { 'content-type': options.metrics.contentType })
          response.end(text)
        })
        .catch((error: unknown) => {
          response.writeHead(500, { 'content-type': 'text/plain' })
          response.end(String(error))
        })
      return
    }
    response.writeHead(404, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ error: 'not found', paths: ['/health/live', '/health/ready', '/metrics'] }))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', error =>
      reject(portInUse(error, { host: options.host, port: options.port, variable: 'OPS_PORT' }))
    )
    server.listen(options.port, options.host, () => resolve())
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
