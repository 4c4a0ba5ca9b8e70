/**
 * What no route takes, and what the server cannot read, answered in the API's error body: a wrong
 * method is a 405 naming the right ones in Allow, an unknown path a 404, both counted by the rate
 * limit; Node's and Fastify's own refusals (431, 400, 413, 415) in the same shape.
 */
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { after, before, test } from 'node:test'
import { type FastifyRequest, errorCodes } from 'fastify'
import { toApiError } from '../../src/api/http/error-handler.ts'
import { type TestApi, getJson, startTestApi } from '../helpers/api.ts'
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts'
import { dashboardRoot, ensureDashboardBuilt } from '../helpers/web.ts'

interface ErrorBody {
  error: string
  code: string
  message: string
}

let database: TestDatabase
let api: TestApi

before(async () => {
  ensureDashboardBuilt()
  database = await createTestDatabase()
  api = await startTestApi({ db: database.db, cache: 'memory', staticRoot: dashboardRoot })
})

after(async () => {
  await api?.close()
  await database?.drop()
})

async function call(
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
  base = api.url
): Promise<{ status: number; allow: string | null; body: ErrorBody }> {
  const response = await fetch(base + path, { method, ...init })
  return {
    status: response.status,
    allow: response.headers.get('allow'),
    body: (await response.json()) as ErrorBody
  }
}

test('a method a route does not take is a 405 naming the methods it takes, whatever body it carries', async () => {
  for (const [method, path, init] of [
    [
      'POST',
      '/api/candles',
      { body: '{"symbol":"BTC/USD"}', headers: { 'content-type': 'application/json' } }
    ],
    ['DELETE', '/api/alerts', {}],
    ['PUT', '/api/symbols', { body: '<x/>', headers: { 'content-type': 'application/xml' } }],
    ['PATCH', '/api/stream', {}],
    ['OPTIONS', '/health/ready', {}]
  ] as const) {
    const { status, allow, body } = await call(method, path, init)
    assert.equal(status, 405, `${method} ${path}`)
    assert.equal(allow, 'GET, HEAD', `${method} ${path}`)
    assert.equal(body.error, 'method_not_allowed')
    assert.equal(body.code, 'CV_ERR_API_METHOD_NOT_ALLOWED')
    assert.equal(body.message, `${path} does not take ${method}: use GET or HEAD`)
  }
  const page = await call('POST', '/symbol/BTC%2FUSD')
  assert.equal(page.status, 405, 'a dashboard page only reads too')
  assert.equal(page.allow, 'GET, HEAD')
})

test('a path no route serves is a 404 for every method; the dashboard does not claim /api paths', async () => {
  for (const method of ['GET', 'POST', 'DELETE']) {
    const { status, allow, body } = await call(method, '/api/nothing-here')
    assert.equal(status, 404, method)
    assert.equal(allow, null)
    assert.equal(body.code, 'CV_ERR_API_NOT_FOUND')
    assert.equal(
      body.message,
      `no route ${method} /api/nothing-here; the API's routes are listed at /api/openapi.json`
    )
  }
})

test('requests no route takes count toward the rate limit, and are refused with 429 once over it', async () => {
  const limited = await startTestApi({
    db: database.db,
    cache: 'memory',
    staticRoot: dashboardRoot,
    env: { RATE_LIMIT_PER_MINUTE: '4' }
  })
  try {
    assert.equal((await call('GET', '/api/nothing-here', {}, limited.url)).status, 404)
    assert.equal((await call('POST', '/api/candles', {}, limited.url)).status, 405)
    // /api paths that reach the dashboard's catch-all first are counted as well.
    assert.equal((await call('GET', '/api/nothing/deeper', {}, limited.url)).status, 404)
    assert.equal((await getJson(limited.url, '/api/alerts')).status, 200)
    for (const [method, path] of [
      ['GET', '/api/alerts'],
      ['GET', '/api/nothing-here'],
      ['DELETE', '/api/alerts']
    ]) {
      const { status, body } = await call(method ?? 'GET', path ?? '/', {}, limited.url)
      assert.equal(status, 429, `${method} ${path}`)
      assert.equal(body.code, 'CV_ERR_API_RATE_LIMITED')
    }
    assert.equal((await getJson(limited.url, '/health/live')).status, 200, 'liveness stays exempt')
  } finally {
    await limited.close()
  }
})

/** A raw HTTP/1.1 exchange, for what fetch would refuse to send. */
function raw(text: string): Promise<{ status: number; headers: string; body: string }> {
  const port = Number(new URL(api.url).port)
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let received = ''
    socket.on('data', chunk => (received += chunk.toString('latin1')))
    socket.on('error', reject)
    socket.on('close', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n')
      resolve({ status: Number(head.split(' ')[1]), headers: head, body })
    })
  })
}

test('headers over the size limit get a 431 in the error body', async () => {
  const { status, headers, body } = await raw(
    `GET /api/alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`
  )
  assert.equal(status, 431)
  assert.match(headers, /content-type: application\/json/i)
  const parsed = JSON.parse(body) as ErrorBody
  assert.equal(parsed.error, 'headers_too_large')
  assert.equal(parsed.code, 'CV_ERR_API_BAD_REQUEST')
  assert.match(parsed.message, /16 KiB/)
})

test('a request that is not HTTP, or a path that does not decode, gets a 400 in the error body', async () => {
  const garbage = await raw('HELLO THERE\r\n\r\n')
  assert.equal(garbage.status, 400)
  assert.equal((JSON.parse(garbage.body) as ErrorBody).code, 'CV_ERR_API_BAD_REQUEST')
  const undecodable = await call('GET', '/%E0%A4%A')
  assert.equal(undecodable.status, 400)
  assert.equal(undecodable.body.code, 'CV_ERR_API_BAD_REQUEST')
  assert.match(undecodable.body.message, /does not decode/)
})

test('Fastify’s own refusals of a body (too large, a type nothing parses) become the error body', () => {
  // No route of this API reads a body (a body to a wrong method or path is refused before it is
  // read), so these are raised here as Fastify raises them and handed to the API's error mapping.
  const request = {
    method: 'POST',
    url: '/api/alerts',
    headers: { 'content-type': 'application/x-unheard-of' },
    routeOptions: {},
    log: { warn: () => undefined }
  } as unknown as FastifyRequest
  const tooLarge = toApiError(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), request)
  assert.equal(tooLarge.status, 413)
  assert.deepEqual(Object.keys(tooLarge.body).sort(), ['code', 'error', 'message'])
  assert.equal(tooLarge.body.error, 'payload_too_large')
  assert.equal(tooLarge.body.code, 'CV_ERR_API_BAD_REQUEST')
  const unsupported = toApiError(
    new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('application/x-unheard-of'),
    request
  )
  assert.equal(unsupported.status, 415)
  assert.equal(unsupported.body.error, 'unsupported_media_type')
  assert.match(unsupported.body.message, /application\/x-unheard-of.*send GET requests without a body/)
})

test('a plugin’s plain-text refusal (a CORS preflight without Origin) comes in the error body', async () => {
  const cors = await startTestApi({
    db: database.db,
    cache: 'memory',
    env: { CORS_ORIGINS: 'https://dash.example.com' }
  })
  try {
    const response = await fetch(`${cors.url}/api/alerts`, { method: 'OPTIONS' })
    assert.equal(response.status, 400)
    assert.match(response.headers.get('content-type') ?? '', /application\/json/)
    const body = (await response.json()) as ErrorBody
    assert.equal(body.code, 'CV_ERR_API_BAD_REQUEST')
    assert.match(body.message, /Invalid Preflight Request/)
  } finally {
    await cors.close()
  }
})
