/** A loopback port nothing listens on: bound once by the OS, then released. */
import { createServer } from 'node:net'

export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}
