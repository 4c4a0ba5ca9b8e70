/**
 * The replay sites' article pages carry the words their feed item meant: entities decoded as the
 * producer decodes feed text (a feed that double-encodes `&amp;#8217;` included), so text read from
 * a page shows no entity. The extracted page text is what the dashboard's excerpts show.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { extractMainText } from '../../src/sources/news/articles/extract-text.ts'
import { itemsOf, sitePage } from '../../src/sim/news/article-pages.ts'

const entity = /&(#\d+|#x[\da-f]+|[a-z]+\d*);/i
const feedsDir = new URL('../../fixtures/feeds/', import.meta.url)
const feeds = ['decrypt.xml', 'blockworks.xml', 'coindesk.xml', 'cointelegraph.xml', 'theblock.xml']

test('a double-encoded feed item becomes a page whose text has the apostrophe and ampersand it meant', () => {
  const items = itemsOf([readFileSync(new URL('decrypt.xml', feedsDir))])
  const oracle = [...items.values()].find(i => i.paragraphs.some(p => p.includes('oracle network')))
  assert.ok(oracle, 'the fixture item is found')
  const text = oracle.paragraphs.join('\n')
  assert.match(text, /The oracle network’s token/)
  assert.match(text, /\$17\.40 & volume doubled/)
  assert.match(oracle.title, /Chainlink’s LINK/)
})

test('no page built from the fixture feeds shows an entity in its extracted text', () => {
  const items = itemsOf(feeds.map(name => readFileSync(new URL(name, feedsDir))))
  assert.ok(items.size >= 10, `${items.size} pages`)
  for (const [key, item] of items) {
    const extracted = extractMainText(sitePage(key.split('/')[0] ?? 'news.example', item), `https://${key}`)
    assert.ok(!('problem' in extracted), `${key}: ${'problem' in extracted ? extracted.problem : ''}`)
    assert.doesNotMatch(`${item.title}\n${extracted.text}`, entity, key)
  }
})
