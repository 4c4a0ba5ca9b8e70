/**
 * Which browser origins may use the API, one rule for CORS and the live WebSocket (CORS_ORIGINS):
 * the same origin always (the dashboard served by this server); with `*` any origin; with a list,
 * those origins too. A request without an Origin header is not from a page (curl, a service, a
 * WebSocket client of another program) and is not a browser's cross-site request: it is allowed.
 */
import type { FastifyRequest } from 'fastify'
import { originRefused } from '../errors.ts'

/**
 * Same origin: the Origin's host is the host the request was sent to (`host`: the Host header, or
 * X-Forwarded-Host behind a trusted proxy), both read as URLs of the Origin's scheme, so that case
 * and a default port written out (`:443`) do not matter.
 */
function sameOrigin(origin: string, host: string): boolean {
  try {
    const page = new URL(origin)
    return page.host === new URL(`${page.protocol}//${host}`).host
  } catch {
    // "null" (a sandboxed frame, a file: page) or garbage: not this server's origin.
    return false
  }
}

function normalized(origin: string): string | undefined {
  try {
    return new URL(origin).origin
  } catch {
    return undefined
  }
}

export function originAllowed(
  origin: string | undefined,
  host: string,
  allowedOrigins: readonly string[]
): boolean {
  if (origin === undefined) return true
  if (allowedOrigins.includes('*') || sameOrigin(origin, host)) return true
  const given = normalized(origin)
  return given !== undefined && given !== 'null' && allowedOrigins.includes(given)
}

/** A route hook that refuses (403, before any upgrade) a page of an origin the rule does not allow. */
export function requireAllowedOrigin(allowedOrigins: readonly string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const origin = request.headers.origin
    if (!originAllowed(origin, request.host, allowedOrigins)) throw originRefused(origin ?? '')
  }
}
