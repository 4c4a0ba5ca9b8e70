/**
 * How the API serves the dashboard build: the page at `/` and at any client route, hashed assets
 * cached for a year, the page itself revalidated, the API's own 404s untouched; and the build within
 * its size budget.
 */
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { Budget, checkBudget } from '../../scripts/build-web.ts'
import { type TestApi, startTestApi } from '../helpers/api.ts'
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts'
import { dashboardRoot, ensureDashboardBuilt } from '../helpers/web.ts'

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

test('the dashboard page is served at / and revalidated on every visit', async () => {
  const response = await fetch(`${api.url}/`)
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-type') ?? '', /text\/html/)
  assert.equal(response.headers.get('cache-control'), 'no-cache')
  assert.match(await response.text(), /<title>CRYPTO VIZ<\/title>/)
})

test('hashed assets are cached for a year as immutable', async () => {
  const asset = readdirSync(join(dashboardRoot, 'assets')).find(file => file.endsWith('.js'))
  assert.ok(asset !== undefined)
  const response = await fetch(`${api.url}/assets/${asset}`)
  assert.equal(response.status, 200)
  assert.match(response.headers.get('content-type') ?? '', /javascript/)
  assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable')
})

test('a client route gets the page, a missing file a 404, and an unknown API path the API’s JSON 404', async () => {
  const page = await fetch(`${api.url}/symbol/BTC%2FUSD`)
  assert.equal(page.status, 200)
  assert.equal(await page.text(), readFileSync(join(dashboardRoot, 'index.html'), 'utf8'))
  assert.equal((await fetch(`${api.url}/assets/missing-0000.js`)).status, 404)
  const apiMiss = await fetch(`${api.url}/api/nothing-here`)
  assert.equal(apiMiss.status, 404)
  assert.equal(((await apiMiss.json()) as { error: string }).error, 'not_found')
  assert.equal((await fetch(`${api.url}/api/symbols`)).status, 200)
})

test('a path that climbs out of the build folder is not served', async () => {
  const response = await fetch(`${api.url}/..%2f..%2fpackage.json`)
  assert.notEqual(response.status, 500)
  assert.doesNotMatch(await response.text(), /"name": "crypto-viz"/)
})

test(`the build stays within its size budget (${Budget.entryKiB} KiB before the chart is needed, ${Budget.totalKiB} KiB in all, gzipped)`, () => {
  assert.deepEqual(checkBudget(false), [])
})
