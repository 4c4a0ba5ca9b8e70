import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { type TestApi, startTestApi } from '../helpers/api.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'

interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean }[] }>>
}

let database: TestDatabase
let api: TestApi
let document: OpenApiDocument

before(async () => {
  database = await createTestDatabase()
  api = await startTestApi({ db: database.db })
  document = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as OpenApiDocument
})

after(async () => {
  await api?.close()
  await database?.drop()
})

test('the OpenAPI document is a valid OpenAPI 3.1 document', async () => {
  const validator = new Validator()
  const result = await validator.validate(document as unknown as Record<string, unknown>)
  assert.equal(document.openapi, '3.1.0')
  assert.deepEqual(result.errors ?? [], [], JSON.stringify(result.errors, null, 1)?.slice(0, 2000))
  assert.equal(result.valid, true)
})

test('every route the server answers is in the document, and every documented operation is a route', async () => {
  const routes = new Set<string>()
  for (const route of listRoutes(api)) routes.add(route)
  const documented = new Set<string>()
  for (const [path, operations] of Object.entries(document.paths))
    for (const method of Object.keys(operations)) documented.add(`${method.toUpperCase()} ${path}`)
  const docsOnly = [...routes].filter(r => / \/api\/(docs|openapi\.json)/.test(r))
  const undocumented = [...routes].filter(r => !documented.has(r) && !docsOnly.includes(r))
  assert.deepEqual(undocumented, [], 'routes missing from the document')
  assert.deepEqual(
    [...documented].filter(d => !routes.has(d)),
    [],
    'documented operations without a route'
  )
  for (const expected of [
    'GET /api/symbols',
    'GET /api/candles',
    'GET /api/pressure',
    'GET /api/trades',
    'GET /api/articles',
    'GET /api/sentiment',
    'GET /api/alerts',
    'GET /api/pipeline',
    'GET /api/stream',
    'GET /health/live',
    'GET /health/ready'
  ])
    assert.ok(documented.has(expected), expected)
})

test('the document shows the same parameters the routes validate', async () => {
  const candles = document.paths['/api/candles']?.get?.parameters ?? []
  assert.deepEqual(candles.map(p => `${p.name}${p.required === true ? '*' : ''}`).sort(), [
    'cursor',
    'from',
    'indicators',
    'interval*',
    'limit',
    'symbol*',
    'to'
  ])
  const response = await fetch(`${api.url}/api/candles?symbol=BTC/USD&interval=1m&bogus=1`)
  assert.equal(response.status, 400, 'a parameter the document does not list is refused')
})

test('the docs page is served', async () => {
  const response = await fetch(`${api.url}/api/docs`, { redirect: 'follow' })
  assert.equal(response.status, 200)
  assert.match(await response.text(), /swagger/i)
})

/** Every route the server registered, as "METHOD /path" (Fastify's automatic HEAD twins left out). */
function listRoutes(target: TestApi): string[] {
  return target.server.routes.filter(r => r.method !== 'HEAD').map(r => `${r.method} ${r.url}`)
}
