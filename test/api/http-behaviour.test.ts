import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { getJson, startTestApi } from '../helpers/api.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { connect, subscribe } from '../helpers/ws-client.ts'

let database: TestDatabase

before(async () => {
  database = await createTestDatabase()
})

after(async () => {
  await database?.drop()
})

test('a client over its per-minute limit gets 429 with a retry-after and the error body; health checks stay exempt', async () => {
  const api = await startTestApi({ db: database.db, env: { RATE_LIMIT_PER_MINUTE: '3' } })
  try {
    for (let i = 0; i < 3; i++) assert.equal((await getJson(api.url, '/api/alerts')).status, 200)
    const limited = await getJson<{ error: string; code: string; message: string }>(api.url, '/api/alerts')
    assert.equal(limited.status, 429)
    assert.equal(limited.body.error, 'rate_limited')
    assert.equal(limited.body.code, 'CV_ERR_API_RATE_LIMITED')
    assert.match(limited.body.message, /more than 3 requests/)
    assert.ok(Number(limited.headers.get('retry-after')) > 0)
    assert.equal((await getJson(api.url, '/health/ready')).status, 200)
    assert.equal((await getJson(api.url, '/health/live')).status, 200)
  } finally {
    await api.close()
  }
})

test('CORS answers only the configured origins', async () => {
  const api = await startTestApi({ db: database.db, env: { CORS_ORIGINS: 'https://dash.example.com' } })
  const closed = await startTestApi({ db: database.db })
  try {
    const allowed = await fetch(`${api.url}/api/alerts`, { headers: { origin: 'https://dash.example.com' } })
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://dash.example.com')
    const other = await fetch(`${api.url}/api/alerts`, { headers: { origin: 'https://evil.example.com' } })
    assert.equal(other.headers.get('access-control-allow-origin'), null)
    const preflight = await fetch(`${api.url}/api/alerts`, {
      method: 'OPTIONS',
      headers: { origin: 'https://dash.example.com', 'access-control-request-method': 'GET' }
    })
    assert.equal(preflight.status, 204)
    const none = await fetch(`${closed.url}/api/alerts`, { headers: { origin: 'https://dash.example.com' } })
    assert.equal(none.headers.get('access-control-allow-origin'), null, 'no CORS unless configured')
  } finally {
    await Promise.all([api.close(), closed.close()])
  }
})

test('an unknown path is a 404 with the error body', async () => {
  const api = await startTestApi({ db: database.db })
  try {
    const { status, body } = await getJson<{ error: string; code: string }>(api.url, '/api/nothing-here')
    assert.equal(status, 404)
    assert.equal(body.error, 'not_found')
    assert.equal(body.code, 'CV_ERR_API_NOT_FOUND')
  } finally {
    await api.close()
  }
})

test('a graceful shutdown closes live connections cleanly with 1001 and stops listening', async () => {
  const api = await startTestApi({ db: database.db })
  const clients = await Promise.all([connect(api.wsUrl), connect(api.wsUrl)])
  await Promise.all(clients.map(client => subscribe(client, ['pipeline'])))
  await api.close()
  for (const client of clients) {
    const { code, reason } = await client.closed
    assert.equal(code, 1001)
    assert.equal(reason, 'server shutting down')
  }
  await assert.rejects(fetch(`${api.url}/health/live`))
})
