/**
 * The live WebSocket takes pages of its own origin and of CORS_ORIGINS only, like CORS: a page of
 * another site is refused with a 403 in the API's error body before the upgrade; a client that sends
 * no Origin (not a browser page) is served.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import WebSocket from 'ws'
import { originAllowed } from '../../src/api/http/origin-rule.ts'
import { type TestApi, startTestApi } from '../helpers/api.ts'
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts'
import { subscribe, type TestClient } from '../helpers/ws-client.ts'
import { waitFor } from '../helpers/wait.ts'

let database: TestDatabase
let sameOriginOnly: TestApi
let listed: TestApi

before(async () => {
  database = await createTestDatabase()
  sameOriginOnly = await startTestApi({ db: database.db, cache: 'memory' })
  listed = await startTestApi({
    db: database.db,
    cache: 'memory',
    env: { CORS_ORIGINS: 'https://dash.example.com' }
  })
})

after(async () => {
  await sameOriginOnly?.close()
  await listed?.close()
  await database?.drop()
})

type Handshake =
  | { opened: true; client: TestClient }
  | { opened: false; status: number; body: { error: string; code: string; message: string } }

/** Opens the live WebSocket as a page of `origin` would (none: as a program would). */
async function handshake(wsUrl: string, origin?: string): Promise<Handshake> {
  const socket = new WebSocket(wsUrl, origin === undefined ? {} : { origin })
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      let text = ''
      response.on('data', (chunk: Buffer) => (text += chunk.toString()))
      response.on('end', () => {
        resolve({ opened: false, status: response.statusCode ?? 0, body: JSON.parse(text) })
        socket.terminate()
      })
    })
    socket.once('error', reject)
    socket.once('open', () => {
      const messages: TestClient['messages'] = []
      socket.on('message', data => messages.push(JSON.parse(data.toString()) as TestClient['messages'][0]))
      const closed = new Promise<{ code: number; reason: string }>(done =>
        socket.on('close', (code, reason) => done({ code, reason: reason.toString() }))
      )
      resolve({
        opened: true,
        client: {
          socket,
          messages,
          send: message => socket.send(JSON.stringify(message)),
          next: (match, timeoutMs = 5_000) =>
            waitFor('a matching live message', () => messages.find(match), timeoutMs, 5),
          closed,
          async close() {
            socket.close()
            await closed
          }
        }
      })
    })
  })
}

async function expectOpen(result: Handshake): Promise<void> {
  assert.ok(result.opened, `refused: ${JSON.stringify(result)}`)
  await subscribe(result.client, ['pipeline'])
  await result.client.close()
}

test('a page of another site is refused with 403 and the error body, before the upgrade', async () => {
  for (const api of [sameOriginOnly, listed]) {
    const result = await handshake(api.wsUrl, 'https://evil.example.com')
    assert.ok(!result.opened, 'refused')
    assert.equal(result.status, 403)
    assert.equal(result.body.error, 'forbidden')
    assert.equal(result.body.code, 'CV_ERR_API_ORIGIN_REFUSED')
    assert.match(result.body.message, /https:\/\/evil\.example\.com.*CORS_ORIGINS/)
  }
  const nullOrigin = await handshake(sameOriginOnly.wsUrl, 'null')
  assert.ok(!nullOrigin.opened && nullOrigin.status === 403, 'a sandboxed or file: page is not this origin')
})

test('a page of the server’s own origin opens the live WebSocket and subscribes', async () => {
  await expectOpen(await handshake(sameOriginOnly.wsUrl, sameOriginOnly.url))
  await expectOpen(await handshake(listed.wsUrl, listed.url))
})

test('a page of an origin listed in CORS_ORIGINS opens it; the same origin on another port does not', async () => {
  await expectOpen(await handshake(listed.wsUrl, 'https://dash.example.com'))
  const otherPort = await handshake(listed.wsUrl, 'https://dash.example.com:8443')
  assert.ok(!otherPort.opened && otherPort.status === 403)
  const unlisted = await handshake(sameOriginOnly.wsUrl, 'https://dash.example.com')
  assert.ok(!unlisted.opened && unlisted.status === 403, 'not listed where CORS_ORIGINS is empty')
})

test('a client that sends no Origin (not a browser page) is served', async () => {
  await expectOpen(await handshake(sameOriginOnly.wsUrl))
})

test('the origin rule: same host and port as the request, any with *, the listed ones, case and default ports aside', () => {
  assert.equal(originAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', []), true)
  assert.equal(originAllowed('HTTPS://Dash.Example.COM', 'dash.example.com:443', []), true)
  assert.equal(originAllowed('https://dash.example.com', 'dash.example.com', []), true)
  assert.equal(originAllowed('http://127.0.0.1:8081', '127.0.0.1:8080', []), false)
  assert.equal(originAllowed('https://evil.example.com', 'dash.example.com', []), false)
  assert.equal(originAllowed('https://evil.example.com', 'dash.example.com', ['*']), true)
  assert.equal(originAllowed('https://a.example.com/', 'api.example.com', ['https://a.example.com']), true)
  assert.equal(originAllowed('https://b.example.com', 'api.example.com', ['https://a.example.com']), false)
  assert.equal(originAllowed('null', 'api.example.com', ['https://a.example.com']), false)
  assert.equal(originAllowed(undefined, 'api.example.com', []), true)
})
