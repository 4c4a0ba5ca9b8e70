import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { silentLogger } from '../../../src/log/logger.ts'
import { createMetricsRegistry } from '../../../src/ops/metrics.ts'
import type { ArticleV1 } from '../../../src/schemas/index.ts'
import { type FakeFeeds, startFakeFeeds } from '../../../src/sim/news/fake-feed-server.ts'
import { type ArticleSettings, ArticleReader } from '../../../src/sources/news/articles/article-reader.ts'
import { createProducerMetrics } from '../../../src/sources/producer-metrics.ts'
import { waitFor } from '../../helpers/wait.ts'

let feeds: FakeFeeds
const readers: ArticleReader[] = []

// Loopback pages answer at once; the time limits are still generous so that a busy machine never
// turns a page into a timeout. Tests of the limits themselves set their own.
const settings: ArticleSettings = {
  feeds: { kind: 'all', except: [] },
  userAgent: 'Mozilla/5.0 (compatible; crypto-viz/0.1; test)',
  timeoutMs: 60_000,
  budgetMs: 60_000,
  maxBytes: 4_000_000,
  maxRedirects: 3,
  concurrency: 4,
  hostConcurrency: 2,
  hostRatePerMinute: 6_000,
  hostBurst: 20,
  allowPrivateHosts: []
}

function reader(overrides: Partial<ArticleSettings> = {}, routed = true): ArticleReader {
  const created = new ArticleReader({
    settings: { ...settings, ...overrides },
    metrics: createProducerMetrics(createMetricsRegistry()),
    log: silentLogger(),
    ...(routed ? { route: feeds.route, allowPrivate: [feeds.host] } : {})
  })
  readers.push(created)
  return created
}

function article(url: string, extra: Partial<ArticleV1> = {}): ArticleV1 {
  return {
    v: 1,
    type: 'article',
    id: 'a'.repeat(32),
    source: 'test',
    feedUrl: 'https://news.example/feed',
    url,
    title: 'A story',
    summary: 'The summary from the feed.',
    authors: [],
    categories: [],
    publishedAt: '2026-11-25T14:00:00.000000Z',
    publishedAtEstimated: false,
    coins: [],
    sponsored: false,
    fetchedAt: '2026-11-25T14:01:00.000000Z',
    ...extra
  }
}

before(async () => {
  feeds = await startFakeFeeds()
})

after(async () => {
  await Promise.all(readers.map(r => r.close()))
  await feeds.close()
})

test('the main text of a news page is extracted without its menus, banners, sidebar, comments or footer', async () => {
  const read = await reader().read(article('https://news.example/markets/bitcoin-etf-inflows'), 'test')
  assert.deepEqual(read.extraction, { status: 'extracted' })
  const text = read.content ?? ''
  for (const sentence of [
    'Spot bitcoin exchange-traded funds in the United States took in a net 1.2 billion dollars last week',
    'Ether funds, by contrast, saw a second week of redemptions.',
    '"Flows are the cleanest signal we have of who is buying,"',
    'Bitcoin itself rose about three percent over the week'
  ])
    assert.ok(text.includes(sentence), `kept: ${sentence}`)
  for (const noise of [
    'Accept all',
    'Podcasts',
    'BTC 91,204',
    'Most Popular',
    'Why the dollar matters',
    'Log in to join',
    'All rights reserved',
    'Privacy policy',
    'trackPageview',
    'Advertisement'
  ])
    assert.ok(!text.includes(noise), `left out: ${noise}`)
  assert.ok(text.split('\n\n').length >= 5, 'paragraphs stay paragraphs')
  assert.deepEqual(
    read.coins.map(c => c.code),
    ['BTC', 'ETH'],
    'coin mentions are recomputed with the page body'
  )
  assert.equal(read.summary, 'The summary from the feed.', 'the feed summary stays')
})

test('a page in Windows-1252 behind a lying charset=utf-8 header is read correctly', async () => {
  const read = await reader().read(article('https://news.example/policy/latin1-story'), 'test')
  assert.equal(read.extraction?.status, 'extracted')
  for (const word of ['café', 'd’une semaine agitée', '« C’est naïf', '12 €', 'Marchés'.slice(0, 0)])
    assert.ok(read.content?.includes(word), word)
  assert.ok(!read.content?.includes('\ufffd'), 'no replacement characters')
})

test('robots.txt rules for our agent are honoured: the page is skipped, not fetched', async () => {
  const before = feeds.stats().requests['sites/news.example/members/exclusive'] ?? 0
  const read = await reader().read(article('https://news.example/members/exclusive'), 'test')
  assert.equal(read.extraction?.status, 'skipped')
  assert.match(read.extraction?.reason ?? '', /^robots: robots.txt disallows it for crypto-viz/)
  assert.equal(read.content, undefined)
  assert.equal(feeds.stats().requests['sites/news.example/members/exclusive'] ?? 0, before)
})

test('hostile pages end as marked articles, each with the reason, and never as a hang or a crash', async () => {
  const r = reader({ maxBytes: 4_000_000 })
  // A page that trickles forever can only end by the page timeout: its own reader has a short one,
  // while every page that does end keeps all the time it needs however busy the machine.
  const trickle = reader({ timeoutMs: 3_000 })
  const cases: [string, string, RegExp][] = [
    ['huge', 'failed', /^too_large: body exceeds 4000000 bytes/],
    ['slow', 'failed', /^timeout: no complete page within 3000 ms/],
    ['bomb', 'failed', /^too_large: body exceeds/],
    ['script-only', 'failed', /^no_main_text: /],
    ['pdf', 'failed', /^not_html: Content-Type application\/pdf/],
    ['loop', 'failed', /^redirect: more than 3 redirects/],
    ['to-private', 'failed', /^blocked_address: 10\.0\.0\.1 is not a public address/],
    ['to-http', 'failed', /^redirect: redirect from https down to http/],
    ['paywall', 'failed', /^forbidden: HTTP 402/],
    ['forbidden', 'failed', /^forbidden: HTTP 403/]
  ]
  const results = await Promise.all(
    cases.map(([path]) =>
      (path === 'slow' ? trickle : r).read(article(`https://hostile.example/${path}`), 'test')
    )
  )
  results.forEach((read, i) => {
    const [path, status, reason] = cases[i] as [string, string, RegExp]
    assert.equal(read.extraction?.status, status, path)
    assert.match(read.extraction?.reason ?? '', reason, path)
    assert.equal(read.content, undefined, `${path}: the article stays as the feed gave it`)
    assert.equal(read.summary, 'The summary from the feed.')
  })
})

test('malformed and script-heavy pages still give their story', async () => {
  const r = reader()
  const malformed = await r.read(article('https://hostile.example/malformed'), 'test')
  assert.equal(malformed.extraction?.status, 'extracted')
  assert.ok(malformed.content?.includes('The exchange said withdrawals would resume on Monday'))
  const scripts = await r.read(article('https://hostile.example/script-heavy'), 'test')
  assert.equal(scripts.extraction?.status, 'extracted', scripts.extraction?.reason)
  assert.ok(!scripts.content?.includes('aaaa'), 'no script text')
})

test('private and loopback addresses are refused unless allowed, by address and by name', async () => {
  const r = reader({}, false)
  const port = new URL(feeds.baseUrl).port
  for (const url of [
    `http://127.0.0.1:${port}/sites/news.example/markets/bitcoin-etf-inflows`,
    `http://localhost:${port}/x`
  ]) {
    const read = await r.read(article(url), 'test')
    assert.equal(read.extraction?.status, 'skipped', url)
    assert.match(read.extraction?.reason ?? '', /robots.txt unreachable \(.*not a public address/, url)
  }
})

test('an article that cannot get a turn within its budget is published without its page, marked skipped', async () => {
  const r = reader({ hostRatePerMinute: 1, hostBurst: 1 })
  // The first takes the host's only token; the next one comes a minute later.
  const first = await r.read(article('https://news.example/markets/bitcoin-etf-inflows'), 'test')
  assert.equal(first.extraction?.status, 'extracted')
  // The second became new 59 s ago: the last second of its budget ends long before the host's next
  // token, a minute after the first took its own. robots.txt is known by then, so it waits only
  // for a turn.
  const second = await r.read(
    article('https://news.example/policy/latin1-story'),
    'test',
    Date.now() - 59_000
  )
  assert.equal(second.extraction?.status, 'skipped')
  assert.match(second.extraction?.reason ?? '', /^budget: no turn at news\.example within the budget/)
})

test('closing the reader hands back the articles still waiting, marked as skipped for shutdown', async () => {
  const r = reader()
  const path = 'sites/hostile.example/slow'
  const before = feeds.stats().requests[path] ?? 0
  const pending = r.read(article('https://hostile.example/slow'), 'test')
  // The page is being read (the server has its request, and it never completes): close now.
  await waitFor('the page request', () => (feeds.stats().requests[path] ?? 0) > before)
  await r.close()
  const read = await pending
  assert.equal(read.extraction?.status, 'skipped')
  assert.match(read.extraction?.reason ?? '', /^shutdown/)
})

test('a feed that carries the full text keeps it without fetching the page', async () => {
  const content = 'Full text from the feed. '.repeat(40)
  const read = await reader().read(
    article('https://news.example/markets/never-fetched', { content, extraction: { status: 'feed' } }),
    'test'
  )
  assert.equal(read.content, content)
  assert.deepEqual(read.extraction, { status: 'feed' })
  assert.equal(feeds.stats().requests['sites/news.example/markets/never-fetched'], undefined)
})
