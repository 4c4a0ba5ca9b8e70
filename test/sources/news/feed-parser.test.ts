import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { articleCodec } from '../../../src/schemas/index.ts'
import { decodeFeed } from '../../../src/sources/news/decode.ts'
import { FeedProblem } from '../../../src/sources/news/feed-problem.ts'
import { parseFeed } from '../../../src/sources/news/feed-parser.ts'
import { normalizeItem } from '../../../src/sources/news/normalize-item.ts'

const fixture = (path: string) => decodeFeed(readFileSync(`fixtures/feeds/${path}`)).text
const fetchedAt = '2025-11-10T18:00:00.000000Z'

const rss = `<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Site</title><link>https://news.example</link>
<item><title><![CDATA[Ether rallies as <b>ETH</b> ETFs grow]]></title>
<link>https://www.news.example/markets/ether-rallies/?utm_source=rss&amp;utm_medium=feed</link>
<guid isPermaLink="false">abc-1</guid><pubDate>Mon, 10 Nov 2025 14:00:00 +0000</pubDate>
<dc:creator>Ann Writer</dc:creator><dc:creator>Bo Editor</dc:creator>
<category>Ethereum</category><category>Markets</category>
<description>&lt;p&gt;Ether &amp;amp; its ETFs&lt;/p&gt;</description>
<content:encoded><![CDATA[<p>Full text about Ethereum.</p>]]></content:encoded>
<media:content url="https://cdn.news.example/ether.jpg" medium="image"/></item>
</channel></rss>`

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Site</title><link rel="alternate" href="https://news.example"/>
<entry><title type="html">Ether rallies as &lt;b&gt;ETH&lt;/b&gt; ETFs grow</title>
<link rel="alternate" href="https://news.example/markets/ether-rallies?utm_campaign=x#top"/>
<link rel="enclosure" type="image/jpeg" href="https://cdn.news.example/ether.jpg"/>
<id>abc-1</id><published>2025-11-10T14:00:00Z</published><updated>2025-11-10T15:00:00Z</updated>
<author><name>Ann Writer</name></author><author><name>Bo Editor</name></author>
<category term="Ethereum"/><category term="Markets"/>
<summary type="html">&lt;p&gt;Ether &amp;amp; its ETFs&lt;/p&gt;</summary>
<content type="html">&lt;p&gt;Full text about Ethereum.&lt;/p&gt;</content></entry></feed>`

test('RSS and Atom items of the same story normalize to the same article', () => {
  const [fromRss] = parseFeed(rss).items
  const [fromAtom] = parseFeed(atom).items
  assert.ok(fromRss && fromAtom)
  const context = {
    source: 'site',
    feedUrl: 'https://news.example/feed',
    channelLink: 'https://news.example',
    fetchedAt
  }
  const a = normalizeItem(fromRss, context)
  const b = normalizeItem(fromAtom, context)
  assert.ok(a.ok && b.ok)
  assert.deepEqual(a.article, b.article)
  assert.deepEqual(
    { ...a.article, coins: a.article.coins },
    {
      v: 1,
      type: 'article',
      id: a.article.id,
      source: 'site',
      feedUrl: 'https://news.example/feed',
      url: 'https://news.example/markets/ether-rallies',
      title: 'Ether rallies as ETH ETFs grow',
      summary: 'Ether & its ETFs',
      content: 'Full text about Ethereum.',
      extraction: { status: 'feed' },
      authors: ['Ann Writer', 'Bo Editor'],
      categories: ['Ethereum', 'Markets'],
      imageUrl: 'https://cdn.news.example/ether.jpg',
      publishedAt: '2025-11-10T14:00:00.000Z',
      publishedAtEstimated: false,
      coins: [{ code: 'ETH', mentions: 5, inTitle: true }],
      sponsored: false,
      fetchedAt
    }
  )
  assert.match(a.article.id, /^[a-f0-9]{32}$/)
  assert.doesNotThrow(() => articleCodec.encode(a.article))
})

test('every source fixture parses, each item becomes a valid article or a counted skip', () => {
  const expected: Record<string, [format: string, items: number]> = {
    'coindesk.xml': ['rss', 4],
    'cointelegraph.xml': ['rss', 4],
    'cointelegraph-bitcoin.xml': ['rss', 3],
    'decrypt.xml': ['rss', 3],
    'bitcoinmagazine.xml': ['rss', 4],
    'cryptoslate.xml': ['rss', 3],
    'theblock.xml': ['rss', 2],
    'dlnews.xml': ['rss', 2],
    'blockworks.xml': ['atom', 3],
    'encoding/iso-8859-1.xml': ['rss', 1],
    'encoding/utf8-bom.xml': ['rss', 1]
  }
  let skipped = 0
  for (const [path, [format, count]] of Object.entries(expected)) {
    const feed = parseFeed(fixture(path))
    assert.equal(feed.format, format, path)
    assert.equal(feed.items.length, count, path)
    for (const item of feed.items) {
      const result = normalizeItem(item, {
        source: 'x',
        feedUrl: 'https://x.test/feed',
        channelLink: feed.link,
        fetchedAt
      })
      if (result.ok) assert.doesNotThrow(() => articleCodec.encode(result.article), `${path}: ${item.title}`)
      else skipped++
    }
  }
  assert.equal(skipped, 2, 'the untitled item and the javascript: link')
})

test('broken documents fail with a problem that says what is wrong', () => {
  const cases: [string, string, RegExp][] = [
    ['broken/truncated.xml', 'bad_xml', /broken XML at line/],
    ['broken/cloudflare.html', 'not_xml', /HTML page/],
    ['broken/unknown-root.xml', 'unknown_format', /<opml>/]
  ]
  for (const [path, kind, message] of cases) {
    assert.throws(
      () => parseFeed(fixture(path)),
      (error: unknown) =>
        error instanceof FeedProblem &&
        error.kind === kind &&
        error.code === 'CV_ERR_FEED_PARSE' &&
        message.test(error.message),
      path
    )
  }
  assert.throws(
    () => parseFeed(''),
    (e: unknown) => e instanceof FeedProblem && e.kind === 'not_xml'
  )
  assert.throws(
    () => parseFeed('{"items":[]}'),
    (e: unknown) => e instanceof FeedProblem && e.kind === 'not_xml'
  )
})

test('Atom xhtml text keeps its words in order and the spaces between inline elements', () => {
  const feed = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Site</title><link rel="alternate" href="https://news.example"/>
<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><b>Bitcoin</b> tops <i>$100k</i> again</div></title>
<link rel="alternate" href="https://news.example/markets/btc-100k"/><id>x-1</id><published>2025-11-10T14:00:00Z</published>
<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Spot <a href="https://news.example/etf">ETF</a> demand &amp; <em>short</em> covering lifted <strong>BTC</strong>.</div></summary>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>First <b>paragraph</b> here.</p><p>Second one.</p></div></content></entry></feed>`
  const [item] = parseFeed(feed).items
  assert.ok(item)
  const normalized = normalizeItem(item, {
    source: 'site',
    feedUrl: 'https://news.example/feed',
    channelLink: 'https://news.example',
    fetchedAt
  })
  assert.ok(normalized.ok)
  assert.equal(normalized.article.title, 'Bitcoin tops $100k again')
  assert.equal(normalized.article.summary, 'Spot ETF demand & short covering lifted BTC.')
  assert.equal(normalized.article.content, 'First paragraph here. Second one.')
})
