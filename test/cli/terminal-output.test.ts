import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { consoleLogStream, formatEntry } from '../../src/cli/console/console-log.ts'
import { Narrative } from '../../src/cli/console/narrative.ts'
import { Terminal } from '../../src/cli/console/terminal.ts'

function capture(inPlace: boolean): { terminal: Terminal; text: () => string } {
  let text = ''
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString()
      done()
    }
  })
  return { terminal: new Terminal({ out, inPlace, color: false }), text: () => text }
}

test('on a terminal the status line is redrawn in place and narrative lines go above it', () => {
  const { terminal, text } = capture(true)
  terminal.status('trades 1/s')
  terminal.status('trades 2/s')
  terminal.line('ok', 'Kraken connected')
  terminal.clearStatus()
  assert.equal(
    text(),
    '\r\x1b[2Ktrades 1/s' + '\r\x1b[2Ktrades 2/s' + '\r\x1b[2K✓ Kraken connected\ntrades 2/s' + '\r\x1b[2K'
  )
})

test('without a terminal every status is a plain line and nothing is redrawn', () => {
  const { terminal, text } = capture(false)
  terminal.status('status: trades 1/s')
  terminal.line('warn', 'Kraken unreachable')
  terminal.clearStatus()
  assert.equal(text(), 'status: trades 1/s\n⚠ Kraken unreachable\n')
})

test('colour follows the stream and NO_COLOR/FORCE_COLOR; a pipe never gets escape codes', () => {
  const pipe = { isTTY: false, columns: 80 } as unknown as NodeJS.WriteStream
  const tty = { isTTY: true, columns: 80 } as unknown as NodeJS.WriteStream
  assert.equal(Terminal.for(pipe, { env: {} }).color, false)
  assert.equal(Terminal.for(pipe, { env: {} }).inPlace, false)
  assert.equal(Terminal.for(tty, { env: {} }).color, true)
  assert.equal(Terminal.for(tty, { env: { NO_COLOR: '1' } }).color, false)
  assert.equal(Terminal.for(pipe, { env: { FORCE_COLOR: '1' } }).color, true)
  assert.equal(Terminal.for(tty, { env: {}, inPlace: false }).inPlace, false, 'JSON logs on the same screen')
})

test('warnings and errors print as one short line; info stays in the log file', () => {
  const { terminal, text } = capture(false)
  const stream = consoleLogStream(terminal)
  stream.write(JSON.stringify({ level: 30, msg: 'role started' }))
  stream.write(
    JSON.stringify({ level: 40, msg: 'cache failing', err: 'ECONNRESET', code: 'CV_ERR_CACHE_UNAVAILABLE' })
  )
  stream.write(
    JSON.stringify({
      level: 50,
      msg: 'a role failed to start; stopping the others',
      err: { message: 'boom' }
    })
  )
  stream.write('not json')
  assert.equal(
    text(),
    '⚠ cache failing: ECONNRESET [CV_ERR_CACHE_UNAVAILABLE]\n✗ a role failed to start; stopping the others: boom\n'
  )
  assert.equal(formatEntry({ level: 40 }), 'log entry without a message')
})

test('a repeated warning is held back for a while, then printed once with how many were held', () => {
  const { terminal, text } = capture(false)
  let now = 0
  const stream = consoleLogStream(terminal, { repeatAfterMs: 60_000, now: () => now })
  const entry = JSON.stringify({ level: 40, msg: 'dropped a frame', reason: 'bad checksum' })
  for (let i = 0; i < 5; i++) stream.write(entry)
  now = 61_000
  stream.write(entry)
  assert.equal(
    text(),
    '⚠ dropped a frame: bad checksum\n⚠ dropped a frame: bad checksum (and 4 more like it before)\n'
  )
})

test('entries the narrative covers are left to the log file', () => {
  const { terminal, text } = capture(false)
  const stream = consoleLogStream(terminal, { quiet: entry => entry.code === 'CV_ERR_FEED_FETCH' })
  stream.write(JSON.stringify({ level: 40, msg: 'feed failed', code: 'CV_ERR_FEED_FETCH' }))
  assert.equal(text(), '')
})

test('a connection change is told once when it happens, with the way out when offline', () => {
  const { terminal, text } = capture(false)
  const narrative = new Narrative(terminal, { replay: false, krakenUrl: 'wss://ws.kraken.com/v2' })
  const unreachable = { state: 'unreachable' as const, detail: 'getaddrinfo ENOTFOUND ws.kraken.com' }
  for (let i = 0; i < 3; i++)
    narrative.onSources({ mode: 'live', kraken: unreachable, news: null, notice: null })
  narrative.onSources({
    mode: 'live',
    kraken: { state: 'connected', detail: '12 streams live' },
    news: { state: 'connected', detail: '8 feeds' },
    notice: null
  })
  assert.equal(
    text(),
    '⚠ Kraken unreachable (getaddrinfo ENOTFOUND ws.kraken.com): retrying with backoff; ' +
      'run `npm start -- --replay` to play bundled data offline\n' +
      '✓ Kraken connected: 12 streams live\n' +
      '✓ news feeds polled: 8 feeds\n'
  )
})

test('the start-up narrative says what it opens, what it waits for, and where things are', () => {
  const { terminal, text } = capture(false)
  const narrative = new Narrative(terminal, { replay: true, krakenUrl: 'x', cwd: '/work' })
  narrative.onEvent({ type: 'bus-ready', kind: 'embedded', where: '/work/.data/embedded/bus' })
  narrative.onEvent({
    type: 'database-opening',
    kind: 'pglite',
    where: '/work/.data/embedded/pg',
    creating: true
  })
  narrative.onEvent({
    type: 'database-ready',
    kind: 'pglite',
    where: '/work/.data/embedded/pg',
    applied: ['001_core.sql'],
    timescale: 'n/a'
  })
  narrative.onEvent({ type: 'bus-opening', kind: 'kafka', where: '127.0.0.1:9092' })
  assert.equal(
    text(),
    '✓ embedded bus ready (.data/embedded/bus)\n' +
      '… creating the embedded database (PGlite, .data/embedded/pg); the first start takes a few seconds\n' +
      '✓ database ready: PGlite, 1 migration(s) applied (.data/embedded/pg)\n' +
      '… waiting for Kafka at 127.0.0.1:9092\n'
  )
})
