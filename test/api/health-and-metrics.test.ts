import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type TestApi, getJson, startTestApi } from '../helpers/api.ts'
import { type OpsServer, startOpsServer } from '../../src/ops/ops-server.ts'
import { createTestDatabase, databaseUrl, type TestDatabase } from '../helpers/db.ts'
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts'
import { waitFor } from '../helpers/wait.ts'
import { connect, subscribe } from '../helpers/ws-client.ts'

let database: TestDatabase
let proxy: TcpProxy
let api: TestApi
/** The ops endpoint over the API's health and metrics, as run-roles.ts serves it beside the API. */
let ops: OpsServer
let opsUrl: string

before(async () => {
  database = await createTestDatabase()
  proxy = await startTcpProxy({ targetPort: Number(new URL(database.url).port || 5432) })
  const url = new URL(databaseUrl(database.name))
  url.port = String(proxy.port)
  api = await startTestApi({ db: database.db, databaseUrl: url.toString(), probeIntervalMs: 200 })
  ops = await startOpsServer({ host: '127.0.0.1', port: 0, health: api.health, metrics: api.metrics })
  opsUrl = `http://127.0.0.1:${ops.port}`
})

after(async () => {
  await ops?.close()
  await api?.close()
  await proxy?.close()
  await database?.drop()
})

test('liveness always answers; readiness fails while the database is unreachable and recovers after', async () => {
  assert.equal((await getJson(api.url, '/health/ready')).status, 200)
  await proxy.cut()
  const down = await waitFor(
    'readiness to fail',
    async () => {
      const response = await getJson<{ status: string; checks?: unknown }>(api.url, '/health/ready')
      return response.status === 503 ? response : false
    },
    10_000,
    100
  )
  assert.deepEqual(down.body, { status: 'down' }, 'the API port says down, not why')
  const report = await getJson<{ status: string; checks: { database: { status: string; detail: string } } }>(
    opsUrl,
    '/health/ready'
  )
  assert.equal(report.status, 503)
  assert.equal(report.body.checks.database.status, 'down')
  assert.match(report.body.checks.database.detail, /unreachable/)
  assert.equal((await getJson(api.url, '/health/live')).status, 200)
  const failed = await getJson<{ error: string; code: string }>(api.url, '/api/trades?symbol=BTC/USD')
  assert.equal(failed.status, 503)
  assert.equal(failed.body.error, 'unavailable')
  assert.equal(failed.body.code, 'CV_ERR_DB_UNAVAILABLE')
  assert.equal(failed.headers.get('retry-after'), '5')
  await proxy.restore()
  await waitFor(
    'readiness to recover',
    async () => (await getJson(api.url, '/health/ready')).status === 200,
    15_000,
    100
  )
  assert.equal((await getJson(api.url, '/api/trades?symbol=BTC/USD')).status, 200)
})

test('/metrics on the ops port exposes request rates and latencies, live clients and the cache hit rate', async () => {
  await getJson(api.url, '/api/candles?symbol=BTC/USD&interval=1m')
  await getJson(api.url, '/api/candles?symbol=BTC/USD&interval=1m')
  await getJson(api.url, '/api/candles?symbol=BTC/USD&interval=oops')
  const client = await connect(api.wsUrl)
  try {
    await subscribe(client, ['tickers'])
    const response = await fetch(`${opsUrl}/metrics`)
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /text\/plain/)
    const text = await response.text()
    assert.match(
      text,
      /cryptoviz_api_http_requests_total\{method="GET",route="\/api\/candles",status="200"\} 2/
    )
    assert.match(
      text,
      /cryptoviz_api_http_requests_total\{method="GET",route="\/api\/candles",status="400"\} 1/
    )
    assert.match(
      text,
      /cryptoviz_api_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/api\/candles"\}/
    )
    assert.match(text, /cryptoviz_api_cache_requests_total\{resource="candles",result="local_hit"\} 1/)
    assert.match(text, /cryptoviz_api_cache_requests_total\{resource="candles",result="miss"\} 1/)
    assert.match(text, /cryptoviz_api_live_clients 1/)
    assert.match(text, /cryptoviz_nodejs_eventloop_lag_seconds/)
  } finally {
    await client.close()
  }
})

test('the API port serves no /metrics and no detailed health report unless API_EXPOSE_OPS=true', async () => {
  const metrics = await getJson<{ code: string }>(api.url, '/metrics')
  assert.equal(metrics.status, 404)
  assert.equal(metrics.body.code, 'CV_ERR_API_NOT_FOUND')
  assert.deepEqual((await getJson(api.url, '/health/ready')).body, { status: 'up' })
  assert.deepEqual((await getJson(api.url, '/health/live')).body, { status: 'up' })
  const exposed = await startTestApi({ db: database.db, env: { API_EXPOSE_OPS: 'true' } })
  try {
    const response = await fetch(`${exposed.url}/metrics`)
    assert.equal(response.status, 200)
    assert.match(await response.text(), /cryptoviz_api_http_requests_total/)
    const ready = await getJson<{ status: string; checks: Record<string, { status: string }> }>(
      exposed.url,
      '/health/ready'
    )
    assert.equal(ready.body.checks.database?.status, 'up')
  } finally {
    await exposed.close()
  }
})
