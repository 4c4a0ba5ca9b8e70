/**
 * A listen that fails because the port is taken says which setting chose the port and what to do,
 * instead of Node's bare "listen EADDRINUSE": the usual cause is an earlier instance still running.
 */
import { createServer } from 'node:net'
import { CryptoVizError, ErrorCodes } from '../errors/errors.ts'

export function portInUse(error: unknown, where: { host: string; port: number; variable: string }): unknown {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') return error
  return new CryptoVizError(
    ErrorCodes.PORT_IN_USE,
    `${where.host}:${where.port} (${where.variable}) is already in use, probably by another crypto-viz ` +
      `still running; stop it, or choose another port (${where.variable}=…)`,
    { cause: error, fatal: true }
  )
}

/**
 * Fails at once when a port a later stage will need is taken, instead of after a slow start-up
 * (the embedded database's first creation). Port 0 (any free port) always passes.
 */
export async function assertPortFree(where: { host: string; port: number; variable: string }): Promise<void> {
  if (where.port === 0) return
  await new Promise<void>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', error => reject(portInUse(error, where)))
    probe.listen(where.port, where.host, () => probe.close(() => resolve()))
  })
}
