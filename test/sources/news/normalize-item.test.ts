import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { ArticleV1 } from '../../../src/schemas/index.ts'
import { articleId, canonicalUrl, titleKey } from '../../../src/sources/news/canonical-url.ts'
import { decodeFeed } from '../../../src/sources/news/decode.ts'
import { parseFeed } from '../../../src/sources/news/feed-parser.ts'
import { htmlToText } from '../../../src/sources/news/html-text.ts'
import { normalizeItem } from '../../../src/sources/news/normalize-item.ts'

const fetchedAt = '2025-11-10T18:00:00.000000Z'

function articles(path: string): ArticleV1[] {
  const feed = parseFeed(decodeFeed(readFileSync(`fixtures/feeds/${path}`)).text)
  return feed.items.flatMap(item => {
    const r = normalizeItem(item, {
      source: 's',
      feedUrl: 'https://s.test/feed',
      channelLink: feed.link,
      fetchedAt
    })
    return r.ok ? [r.article] : []
  })
}

test('canonical URLs drop tracking parameters, www, fragments and trailing slashes; ids ignore the scheme', () => {
  assert.equal(
    canonicalUrl('https://WWW.CoinDesk.com/markets/x/?utm_source=rss&utm_medium=feed&b=2&a=1#top'),
    'https://coindesk.com/markets/x?a=1&b=2'
  )
  assert.equal(
    canonicalUrl('/business/post', 'https://bitcoinmagazine.com'),
    'https://bitcoinmagazine.com/business/post'
  )
  assert.equal(canonicalUrl('javascript:alert(1)'), undefined)
  assert.equal(canonicalUrl('data:text/html,hi'), undefined)
  assert.equal(articleId('http://a.test/x'), articleId('https://a.test/x'))
  assert.equal(titleKey('Bitcoin hits $110K - Cointelegraph.com News'), titleKey('Bitcoin Hits $110K'))
  assert.notEqual(titleKey('Bitcoin hits $110K - here is why'), titleKey('Bitcoin hits $110K'))
})

test('HTML, CDATA and entities (double-encoded ones too) become plain text; scripts vanish', () => {
  assert.equal(htmlToText('<p>A &amp;#8217; B</p><script>x()</script><p>C&nbsp;&eacute;</p>'), 'A ’ B C é')
  const [strategy] = articles('bitcoinmagazine.xml')
  assert.equal(strategy?.summary, 'Strategy disclosed another Bitcoin purchase in an 8-K filing.')
  assert.doesNotMatch(strategy?.content ?? '', /trackPageView/)
  const link = articles('decrypt.xml').find(a => a.url.includes('chainlink'))
  assert.equal(link?.title, 'Chainlink’s LINK Jumps 9% as SWIFT Pilot Expands to 12 Banks')
  assert.equal(
    link?.summary,
    'The oracle network’s token led large caps higher on Monday. LINK traded at $17.40 & volume doubled.'
  )
})

test('dates: RFC 822 with zone names parse; missing or invalid dates fall back to the fetch time, marked estimated', () => {
  const cardano = articles('cointelegraph.xml').find(a => a.url.includes('cardano'))
  assert.equal(cardano?.publishedAt, '2025-11-10T15:12:00.000Z', 'EST is UTC-5')
  const opEd = articles('bitcoinmagazine.xml').find(a => a.url.includes('op-ed'))
  assert.equal(opEd?.publishedAt, '2025-11-10T18:00:00.000Z')
  assert.equal(opEd?.publishedAtEstimated, true)
  const guide = articles('decrypt.xml').find(a => a.url.includes('polkadot'))
  assert.equal(guide?.publishedAtEstimated, true)
})

test('relative links resolve against the channel; WordPress &#038; in links is decoded before canonicalizing', () => {
  assert.equal(
    articles('bitcoinmagazine.xml')[0]?.url,
    'https://bitcoinmagazine.com/business/strategy-buys-another-487-bitcoin'
  )
  assert.equal(
    articles('cryptoslate.xml')[0]?.url,
    'https://cryptoslate.com/ethereum-staking-etfs-see-first-100m-day'
  )
})

test('press releases are flagged sponsored; images come from media, enclosures or the first inline img', () => {
  const telegraph = articles('cointelegraph.xml')
  assert.deepEqual(
    telegraph.filter(a => a.sponsored).map(a => a.url),
    ['https://cointelegraph.com/press-releases/xyz-exchange-launches-zero-fee-trading-week']
  )
  assert.equal(
    telegraph.find(a => a.url.includes('dogecoin'))?.imageUrl,
    'https://images.cointelegraph.com/images/528_doge.jpg'
  )
  assert.equal(
    articles('coindesk.xml').find(a => a.url.includes('solana'))?.imageUrl,
    'https://www.coindesk.com/resizer/v2/firedancer.png'
  )
  assert.equal(
    articles('blockworks.xml')[0]?.imageUrl,
    'https://blockworks-co.imgix.net/wp-content/uploads/2025/11/avalanche.jpg'
  )
})

test('authors: Cointelegraph-style bylines and repeated dc:creator are kept, duplicates dropped', () => {
  assert.deepEqual(articles('coindesk.xml')[0]?.authors, ['Omkar Godbole', 'Helene Braun'])
  assert.deepEqual(articles('blockworks.xml')[0]?.authors, ['Macauley Peterson', 'Blockworks Research'])
})
