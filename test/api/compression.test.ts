/**
 * Compressed answers: JSON of 1 KiB or more in the encoding the client prefers (brotli, else gzip),
 * smaller answers and clients that accept neither as they are, always with Vary: Accept-Encoding
 * when the encoding depends on it; the cached reads compressed once per answer; the dashboard's files
 * sent as the build compressed them; and the live WebSocket untouched.
 */
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { CompressedCopies, negotiateEncoding } from '../../src/api/http/compression.ts'
import { type TestApi, startTestApi } from '../helpers/api.ts'
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts'
import { insertTrades, uniqueSymbol, upsertCandle } from '../helpers/seed.ts'
import { dashboardRoot, ensureDashboardBuilt } from '../helpers/web.ts'
import { connect, subscribe } from '../helpers/ws-client.ts'

let database: TestDatabase
let api: TestApi
const symbol = uniqueSymbol()

before(async () => {
  ensureDashboardBuilt()
  database = await createTestDatabase()
  for (let minute = 0; minute < 40; minute++)
    await upsertCandle(database.db, {
      symbol,
      interval: '1m',
      bucket: new Date(Date.UTC(2026, 10, 25, 14, minute)).toISOString(),
      close: (91_000 + minute * 1.25).toFixed(2)
    })
  await insertTrades(
    database.db,
    Array.from({ length: 30 }, (_, i) => ({
      symbol,
      tradeId: i + 1,
      time: `2026-11-25T14:00:${String(i).padStart(2, '0')}Z`
    }))
  )
  api = await startTestApi({ db: database.db, staticRoot: dashboardRoot })
})

after(async () => {
  await api?.close()
  await database?.drop()
})

interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The bytes as sent, not decoded (fetch would decode them). */
  body: Buffer
}

function get(path: string, acceptEncoding?: string): Promise<RawAnswer> {
  const { port } = new URL(api.url)
  return new Promise((resolve, reject) => {
    const call = request(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }
      },
      response => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks)
          })
        )
      }
    )
    call.on('error', reject)
    call.end()
  })
}

const decode = (answer: RawAnswer): Buffer =>
  answer.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(answer.body)
    : answer.headers['content-encoding'] === 'gzip'
      ? gunzipSync(answer.body)
      : answer.body

const candles = `/api/candles?symbol=${encodeURIComponent(symbol)}&interval=1m&limit=40`
const trades = `/api/trades?symbol=${encodeURIComponent(symbol)}&limit=30`

test('a JSON answer over 1 KiB comes brotli-compressed to a client that takes brotli, gzip to one that takes only gzip', async () => {
  for (const path of [candles, trades]) {
    const plain = await get(path)
    assert.equal(plain.status, 200)
    assert.ok(plain.body.length > 1024, `${path}: ${plain.body.length} bytes`)
    assert.equal(plain.headers['content-encoding'], undefined)
    for (const [accept, expected] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0.5, gzip;q=1', 'gzip'],
      ['*', 'gzip']
    ] as const) {
      const answer = await get(path, accept)
      assert.equal(answer.headers['content-encoding'], expected, `${path} with ${accept}`)
      assert.match(String(answer.headers.vary), /accept-encoding/i)
      assert.ok(
        answer.body.length < plain.body.length / 3,
        `${path}: ${answer.body.length} bytes ${expected}`
      )
      assert.deepEqual(JSON.parse(decode(answer).toString()), JSON.parse(plain.body.toString()))
    }
  }
})

test('a client that accepts no encoding we make, or an answer under 1 KiB, gets the bytes as they are', async () => {
  for (const accept of ['identity', 'deflate', 'br;q=0, gzip;q=0'])
    assert.equal((await get(candles, accept)).headers['content-encoding'], undefined, accept)
  const small = await get('/health/live', 'br, gzip')
  assert.equal(small.headers['content-encoding'], undefined)
  assert.deepEqual(JSON.parse(small.body.toString()), { status: 'up' })
})

test('a cached answer is compressed once: repeated reads get the same compressed bytes with their length', async () => {
  const first = await get(candles, 'br')
  const second = await get(candles, 'br')
  assert.equal(second.headers['content-encoding'], 'br')
  assert.equal(Number(second.headers['content-length']), second.body.length)
  assert.deepEqual(second.body, first.body)
  const copies = new CompressedCopies()
  const body = Buffer.from(
    JSON.stringify({ candles: Array.from({ length: 100 }, (_, i) => ({ i, close: '91000.25' })) })
  )
  const made = await copies.get(body, 'br')
  assert.equal(await copies.get(body, 'br'), made, 'the same bytes, not compressed again')
  assert.deepEqual(brotliDecompressSync(made), body)
  assert.deepEqual(gunzipSync(await copies.get(body, 'gzip')), body)
})

test('the dashboard’s files are sent as the build compressed them, chosen by Accept-Encoding', async () => {
  const file = readdirSync(join(dashboardRoot, 'assets')).find(name => name.endsWith('.js'))
  assert.ok(file !== undefined)
  const path = join(dashboardRoot, 'assets', file)
  for (const [accept, encoding, stored] of [
    ['br, gzip', 'br', `${path}.br`],
    ['gzip', 'gzip', `${path}.gz`],
    [undefined, undefined, path]
  ] as const) {
    const answer = await get(`/assets/${file}`, accept)
    assert.equal(answer.status, 200)
    assert.equal(answer.headers['content-encoding'], encoding)
    assert.match(String(answer.headers['content-type']), /javascript/)
    assert.match(String(answer.headers.vary), /accept-encoding/i)
    assert.deepEqual(
      answer.body,
      readFileSync(stored),
      `the stored ${encoding ?? 'plain'} file, byte for byte`
    )
  }
  const page = await get('/', 'br')
  assert.equal(page.headers['content-encoding'], 'br')
  assert.equal(decode(page).toString(), readFileSync(join(dashboardRoot, 'index.html'), 'utf8'))
})

test('the live WebSocket still opens and answers under compression', async () => {
  const client = await connect(api.wsUrl)
  try {
    await subscribe(client, [`candles:${symbol}:1m`])
  } finally {
    await client.close()
  }
})

test('encoding negotiation: highest q-value among brotli and gzip, brotli on a tie, * as gzip, none when refused', () => {
  assert.equal(negotiateEncoding(undefined), undefined)
  assert.equal(negotiateEncoding(''), undefined)
  assert.equal(negotiateEncoding('gzip, deflate, br'), 'br')
  assert.equal(negotiateEncoding('GZIP'), 'gzip')
  assert.equal(negotiateEncoding('br;q=0.2, gzip;q=0.8'), 'gzip')
  assert.equal(negotiateEncoding('*;q=0.5, br;q=0'), 'gzip')
  assert.equal(negotiateEncoding('*'), 'gzip')
  assert.equal(negotiateEncoding('identity, deflate'), undefined)
  assert.equal(negotiateEncoding('br;q=0, gzip;q=0, *'), undefined)
})
