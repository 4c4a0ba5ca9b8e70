import assert from 'node:assert/strict'
import { test } from 'node:test'
import { articleCodec } from '../../../src/schemas/index.ts'
import { startFakeFeeds } from '../../../src/sim/news/fake-feed-server.ts'
import { consumeCount } from '../../helpers/consume.ts'
import { createTopics } from '../../helpers/kafka.ts'
import { startNews, tempDataDir } from '../../helpers/news-harness.ts'
import { configFromEnv } from '../../../src/config/config.ts'

const item = (
  title: string,
  link: string,
  minutesAgo: number
) => `<item><title>${title}</title><link>${link}</link>
  <guid>${link}</guid><pubDate>${new Date(Date.now() - minutesAgo * 60_000).toUTCString()}</pubDate>
  <description>${title}: the feed only has this line.</description></item>`

test('each new article is published once, in feed order, with its page text or marked with why not', async () => {
  const [topic] = await createTopics(1, 'articles-pages')
  assert.ok(topic)
  const feeds = await startFakeFeeds()
  feeds.setDocument(
    'pages.xml',
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Pages</title><link>https://news.example/</link>
    ${item('ETF inflows', 'https://news.example/markets/bitcoin-etf-inflows', 5)}
    ${item('A slow page', 'https://hostile.example/slow', 4)}
    ${item('Members only', 'https://news.example/members/exclusive', 3)}
    ${item('Windows-1252', 'https://news.example/policy/latin1-story', 2)}
    ${item('Paywalled', 'https://hostile.example/paywall', 1)}
    </channel></rss>`
  )
  const articles = { ...configFromEnv({}).news.articles, timeoutMs: 1_500, budgetMs: 4_000 }
  const news = await startNews({
    feeds: [{ name: 'pages', url: feeds.url('pages.xml') }],
    topic,
    dataDir: tempDataDir(),
    news: { articles },
    pages: { route: feeds.route, allowPrivate: [feeds.host] }
  })
  try {
    await news.producer.pollNow()
    await news.flush()
    const records = await consumeCount([topic], 5)
    const published = records.map(r => articleCodec.decode(r.value))
    assert.deepEqual(
      published.map(a => a.title),
      ['ETF inflows', 'A slow page', 'Members only', 'Windows-1252', 'Paywalled'],
      'in feed order (oldest first), the slow page holding back none but those after it'
    )
    assert.deepEqual(
      published.map(a => `${a.extraction?.status} ${a.extraction?.reason?.split(':')[0] ?? ''}`.trim()),
      ['extracted', 'failed timeout', 'skipped robots', 'extracted', 'failed forbidden']
    )
    assert.ok(published[0]?.content?.includes('fifth consecutive week of inflows'))
    assert.deepEqual(
      published[0]?.coins.map(c => c.code),
      ['BTC', 'ETH'],
      'coin mentions come from the page text too'
    )
    const metrics = await news.metrics.articleExtractions.get()
    const extracted = metrics.values.find(v => v.labels.status === 'extracted')?.value
    assert.equal(extracted, 2)
  } finally {
    await news.stop()
    await feeds.close()
  }
})
