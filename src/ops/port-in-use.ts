/**
 * A listen that fails because the port is taken says which setting chose the port and what to do,
 * instead of Node's bare "listen EADDRINUSE": the usual cause is an earlier instance still running.
 */
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
