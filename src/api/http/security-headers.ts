/**
 * The security headers every answer carries (@fastify/helmet, and helmet's own middleware for the
 * policy, built once): a strict Content-Security-Policy, X-Content-Type-Options: nosniff,
 * X-Frame-Options: DENY with frame-ancestors 'none', and Referrer-Policy: no-referrer. The policy lets the dashboard and the docs page load only this
 * server's own scripts, styles, images and fonts, talk only to this server (REST and the live
 * WebSocket), and run no inline code but the few pieces the dashboard build lists by hash
 * (`inline` below: the theme script of index.html, the chart library's logo style). docs/security.md
 * explains each directive.
 */
import helmet from '@fastify/helmet'
import { contentSecurityPolicy as helmetContentSecurityPolicy } from 'helmet'
import type { FastifyInstance } from 'fastify'

/** Hash sources (`'sha256-…'`) of the inline code the dashboard build runs. */
export interface InlineSources {
  scripts: readonly string[]
  styles: readonly string[]
}

export const noInlineSources: InlineSources = { scripts: [], styles: [] }

export function contentSecurityPolicy(inline: InlineSources): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...inline.scripts],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", ...inline.styles],
    // Swagger UI's and the dashboard's stylesheets draw small icons as data: URLs.
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    // 'self' covers ws: and wss: to this host: the live WebSocket.
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"]
  }
}

/**
 * `report-only` sends the policy as Content-Security-Policy-Report-Only: browsers report what it
 * would block and block nothing (for trying a policy change, and for browser tests whose driver
 * evaluates code inside the page).
 */
export type PolicyMode = 'enforce' | 'report-only'

export async function installSecurityHeaders(
  app: FastifyInstance,
  inline: InlineSources,
  mode: PolicyMode = 'enforce'
): Promise<void> {
  await app.register(helmet, {
    // Set below: the plugin builds its middleware again for every request, which for the policy
    // means parsing every directive again (≈ 7 µs, a sixth of a cached read's whole cost).
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Plain HTTP here: HSTS belongs to the proxy that terminates TLS, which knows the domain's policy.
    strictTransportSecurity: false
  })
  const policy = helmetContentSecurityPolicy({
    useDefaults: false,
    directives: contentSecurityPolicy(inline),
    reportOnly: mode === 'report-only'
  })
  app.addHook('onRequest', (request, reply, done) => {
    policy(request.raw, reply.raw, done)
  })
}
