import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { decodeFeed } from '../../../src/sources/news/decode.ts'
import { FeedProblem } from '../../../src/sources/news/feed-problem.ts'

const bytes = (path: string) => readFileSync(`fixtures/feeds/${path}`)

test('the encoding declared in the XML prolog is honoured (ISO-8859-1)', () => {
  const decoded = decodeFeed(bytes('encoding/iso-8859-1.xml'))
  assert.equal(decoded.encoding, 'iso-8859-1')
  assert.match(decoded.text, /Krypto Nachrichten über Märkte/)
})

test('a UTF-8 byte-order mark is removed', () => {
  const decoded = decodeFeed(bytes('encoding/utf8-bom.xml'))
  assert.ok(decoded.text.startsWith('<?xml'))
  assert.match(decoded.text, /“Bitcoin café” accepts BTC for €5 coffees/)
})

test('a feed claiming UTF-8 but written in Windows-1252 is read correctly and flagged', () => {
  const decoded = decodeFeed(bytes('broken/mislabelled-cp1252.xml'))
  assert.equal(decoded.encoding, 'windows-1252')
  assert.match(decoded.mismatch ?? '', /declared UTF-8/)
  assert.match(decoded.text, /“Bitcoin café” accepts BTC for €5 coffees/)
})

test('the HTTP charset applies when the prolog says nothing; an unknown encoding is a parse problem', () => {
  const latin = Buffer.from('<rss version="2.0"><channel><title>M\xe4rkte</title></channel></rss>', 'latin1')
  assert.match(decodeFeed(latin, 'application/rss+xml; charset=ISO-8859-1').text, /Märkte/)
  assert.throws(
    () => decodeFeed(bytes('broken/unsupported-encoding.xml')),
    (error: unknown) =>
      error instanceof FeedProblem && error.kind === 'encoding' && error.code === 'CV_ERR_FEED_PARSE'
  )
})
