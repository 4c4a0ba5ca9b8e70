import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { articleCodec } from '../../../src/schemas/index.ts'
import { startFakeFeeds } from '../../../src/sim/news/fake-feed-server.ts'
import { consumeCount } from '../../helpers/consume.ts'
import { createTopics } from '../../helpers/kafka.ts'
import { startNews, tempDataDir } from '../../helpers/news-harness.ts'

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

test('the same story across feeds and across restarts is published once; unchanged feeds answer 304', async () => {
  const [topic] = await createTopics(3, 'articles')
  assert.ok(topic)
  const feeds = await startFakeFeeds()
  const dataDir = tempDataDir()
  const names = ['coindesk', 'cointelegraph', 'cointelegraph-bitcoin', 'cryptoslate', 'theblock']
  const specs = names.map(name => ({ name, url: feeds.url(`${name}.xml`) }))
  try {
    const first = await startNews({ feeds: specs, topic, dataDir })
    await first.producer.pollNow()
    await first.producer.pollNow()
    await first.flush()
    const statuses = first.producer.status()
    await first.stop()
    // coindesk 4 + cointelegraph 4 + its tag feed 1 new (2 repeat the main feed) + cryptoslate 3
    // (one is the Cointelegraph press release's title: a cross-source near-duplicate) + theblock 1
    // new (the other repeats a CryptoSlate title).
    const expected = 4 + 4 + 1 + 2 + 1
    const published = statuses.reduce((n, s) => n + s.published, 0)
    assert.equal(published, expected)
    assert.equal(
      statuses.reduce((n, s) => n + s.duplicates, 0),
      4
    )
    assert.equal(feeds.stats().notModified, names.length, 'the second poll of each feed was a 304')

    const second = await startNews({ feeds: specs, topic, dataDir })
    await second.producer.pollNow()
    await second.flush()
    const after = second.producer.status()
    await second.stop()
    assert.equal(
      after.reduce((n, s) => n + s.published, 0),
      0,
      'a restart republishes nothing'
    )
    assert.equal(
      after.reduce((n, s) => n + s.duplicates, 0),
      expected + 4
    )

    const records = await consumeCount([topic], expected)
    assert.equal(records.length, expected)
    const articles = records.map(r => articleCodec.decode(r.value))
    assert.equal(new Set(articles.map(a => a.id)).size, expected)
    assert.ok(
      records.every(r => r.key === articleCodec.decode(r.value).id),
      'keyed by article id'
    )
  } finally {
    await feeds.close()
  }
})

test('a feed that publishes a new item gets only that item published on the next poll', async () => {
  const [topic] = await createTopics(1, 'articles-new')
  assert.ok(topic)
  const feeds = await startFakeFeeds()
  const run = await startNews({
    feeds: [{ name: 'dlnews', url: feeds.url('dlnews.xml') }],
    topic,
    dataDir: tempDataDir()
  })
  try {
    await run.producer.pollNow()
    const original = readFileSync('fixtures/feeds/dlnews.xml', 'utf8')
    const item = `<item><title>Solana ETF filing amended</title><link>https://www.dlnews.com/articles/markets/solana-etf-filing-amended/</link><guid>sol-etf</guid><pubDate>Mon, 10 Nov 2025 17:00:00 +0000</pubDate><description>SOL issuers updated their S-1s.</description></item>`
    feeds.setDocument('dlnews.xml', original.replace('<item>', `${item}<item>`))
    await run.producer.pollNow()
    await run.flush()
    assert.equal(run.producer.status()[0]?.published, 3)
  } finally {
    await run.stop()
    await feeds.close()
  }
  const records = await consumeCount([topic], 3)
  assert.deepEqual(records.map(r => articleCodec.decode(r.value).title).at(-1), 'Solana ETF filing amended')
})

test('broken feeds are reported one by one, and the healthy ones are published anyway', async () => {
  const [topic] = await createTopics(1, 'articles-broken')
  assert.ok(topic)
  const feeds = await startFakeFeeds()
  const broken = {
    truncated: 'broken/truncated.xml',
    cloudflare: 'broken/cloudflare.html',
    opml: 'broken/unknown-root.xml',
    klingon: 'broken/unsupported-encoding.xml',
    forbidden: 'status/403',
    limited: 'status/429?retryAfter=90',
    timeout: 'slow',
    missing: 'feeds/gone.xml'
  }
  const specs = [
    { name: 'decrypt', url: feeds.url('decrypt.xml') },
    ...Object.entries(broken).map(([name, path]) => ({ name, url: feeds.url(path) })),
    { name: 'mislabelled', url: feeds.url('broken/mislabelled-cp1252.xml') },
    { name: 'blockworks', url: feeds.url('blockworks.xml') }
  ]
  const run = await startNews({ feeds: specs, topic, dataDir: tempDataDir(), news: { fetchTimeoutMs: 500 } })
  try {
    await run.producer.pollNow()
    await run.flush()
    const status = new Map(run.producer.status().map(s => [s.name, s]))
    const kinds = Object.fromEntries(
      Object.keys(broken).map(name => [name, status.get(name)?.lastError?.kind])
    )
    assert.deepEqual(kinds, {
      truncated: 'bad_xml',
      cloudflare: 'not_xml',
      opml: 'unknown_format',
      klingon: 'encoding',
      forbidden: 'http_status',
      limited: 'http_status',
      timeout: 'timeout',
      missing: 'http_status'
    })
    assert.match(status.get('forbidden')?.lastError?.message ?? '', /HTTP 403 \(bot protection/)
    for (const name of Object.keys(broken)) assert.equal(status.get(name)?.state, 'failing')
    assert.equal(status.get('decrypt')?.published, 3)
    assert.equal(status.get('blockworks')?.published, 3)
    assert.equal(status.get('mislabelled')?.published, 1, 'a mislabelled encoding is recovered, not fatal')
    const failing = (await run.metrics.feedUp.get()).values.filter(v => v.value === 0).length
    assert.equal(failing, Object.keys(broken).length)
  } finally {
    await run.stop()
    await feeds.close()
  }
  const records = await consumeCount([topic], 7)
  const titles = records.map(r => articleCodec.decode(r.value).title)
  assert.ok(titles.includes('“Bitcoin café” accepts BTC for €5 coffees'))
})

test('scheduled polling keeps going on its own, with failing feeds backing off', async () => {
  const [topic] = await createTopics(1, 'articles-sched')
  assert.ok(topic)
  const feeds = await startFakeFeeds()
  const run = await startNews({
    feeds: [
      { name: 'theblock', url: feeds.url('theblock.xml'), intervalS: 0.2 },
      { name: 'down', url: feeds.url('status/500'), intervalS: 0.2 }
    ],
    topic,
    dataDir: tempDataDir()
  })
  try {
    run.producer.start()
    await sleep(1_500)
    const requests = feeds.stats().requests
    assert.ok(
      (requests['feeds/theblock.xml'] ?? 0) >= 4,
      `healthy feed polled on its interval (${requests['feeds/theblock.xml']})`
    )
    assert.ok((requests['status/500'] ?? 0) <= 3, `failing feed backs off (${requests['status/500']})`)
  } finally {
    await run.stop()
    await feeds.close()
  }
})
