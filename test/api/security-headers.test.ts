/**
 * Every answer carries the security headers: the dashboard, the API's JSON, its docs page and its
 * errors alike. That the policy lets the dashboard and the docs page work is proved in Chromium
 * (test/web/content-security-policy.test.ts); here, that it is there and strict.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, test } from 'node:test'
import { type TestApi, startTestApi } from '../helpers/api.ts'
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts'
import { dashboardRoot, ensureDashboardBuilt } from '../helpers/web.ts'

let database: TestDatabase
let api: TestApi

before(async () => {
  ensureDashboardBuilt()
  database = await createTestDatabase()
  api = await startTestApi({
    db: database.db,
    cache: 'memory',
    staticRoot: dashboardRoot,
    contentSecurityPolicy: 'enforce'
  })
})

after(async () => {
  await api?.close()
  await database?.drop()
})

/** The policy as a map of directive to its sources. */
function policyOf(header: string | null): Map<string, string[]> {
  assert.ok(header !== null, 'a Content-Security-Policy header')
  return new Map(
    header
      .split(';')
      .map(part => part.trim().split(/\s+/))
      .filter(([name]) => name !== undefined && name !== '')
      .map(([name = '', ...sources]) => [name, sources])
  )
}

const paths = [
  '/',
  '/symbol/BTC%2FUSD',
  '/api/symbols',
  '/api/docs',
  '/api/docs/static/index.css',
  '/api/nothing',
  '/api/candles?symbol=x'
]

test('the dashboard, the API, its docs page and its errors all carry the security headers', async () => {
  for (const path of paths) {
    const response = await fetch(api.url + path)
    const headers = response.headers
    assert.equal(headers.get('x-content-type-options'), 'nosniff', path)
    assert.equal(headers.get('x-frame-options'), 'DENY', path)
    assert.equal(headers.get('referrer-policy'), 'no-referrer', path)
    assert.equal(headers.get('cross-origin-opener-policy'), 'same-origin', path)
    assert.deepEqual(
      policyOf(headers.get('content-security-policy')).get('frame-ancestors'),
      ["'none'"],
      path
    )
    await response.arrayBuffer()
  }
})

test('the Content-Security-Policy allows only this origin, and no inline code but the build’s own, by hash', async () => {
  const response = await fetch(`${api.url}/`)
  const html = await response.text()
  const policy = policyOf(response.headers.get('content-security-policy'))
  for (const directive of ['default-src', 'connect-src', 'font-src'])
    assert.deepEqual(policy.get(directive), ["'self'"], directive)
  for (const directive of ['object-src', 'base-uri', 'form-action', 'frame-ancestors', 'script-src-attr'])
    assert.deepEqual(policy.get(directive), ["'none'"], directive)
  assert.deepEqual(policy.get('img-src'), ["'self'", 'data:'])
  const scripts = policy.get('script-src') ?? []
  const styles = policy.get('style-src') ?? []
  assert.equal(scripts[0], "'self'")
  assert.equal(styles[0], "'self'")
  for (const source of [...scripts.slice(1), ...styles.slice(1)])
    assert.match(source, /^'sha256-[A-Za-z0-9+/]+=*'$/)
  assert.ok(!policy.has('style-src-attr'), 'no inline style attributes either')
  // The one inline script of the page (the theme before the first paint) is the one allowed.
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    m =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`
  )
  assert.equal(inline.length, 1)
  assert.deepEqual(scripts.slice(1), inline)
})

test('the policy can be sent as report-only, and HSTS is left to the proxy that terminates TLS', async () => {
  const reporting = await startTestApi({
    db: database.db,
    cache: 'memory',
    contentSecurityPolicy: 'report-only'
  })
  try {
    const headers = (await fetch(`${reporting.url}/api/symbols`)).headers
    assert.equal(headers.get('content-security-policy'), null)
    assert.match(headers.get('content-security-policy-report-only') ?? '', /default-src 'self'/)
  } finally {
    await reporting.close()
  }
  const response = await fetch(`${api.url}/api/symbols`)
  assert.equal(response.headers.get('strict-transport-security'), null)
})
