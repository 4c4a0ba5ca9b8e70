/**
 * News impact in a real browser (Debian's Chromium) over the real pipeline: markets and articles
 * seeded through Kafka → ingest/analytics → PostgreSQL. The Market movers view, the News view's
 * list and the chart's news card show the moves after the articles; every figure checked here is recomputed from the API's
 * one-minute candles by the definition (docs/impact.md), sharing no code with the job or the page.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { getJson } from '../helpers/api.ts'
import { waitFor } from '../helpers/wait.ts'
import { type ApiCandle, returnOnCandles } from '../helpers/impact-from-candles.ts'
import { type MarketSpec, seedMarkets } from '../helpers/market-seed.ts'
import { type Browser, type Stack, openBrowser, screenshot, startStack } from '../helpers/web.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const quote = `M${Math.random().toString(36).slice(2, 4).toUpperCase().replace(/\d/g, 'Q')}`
const specs: MarketSpec[] = [
  { symbol: `BTC/${quote}`, price: 91_250, decimals: 1, volatility: 0.0015, tradesPerMinute: 6, seed: 31 },
  { symbol: `ETH/${quote}`, price: 3_120, decimals: 2, volatility: 0.002, tradesPerMinute: 4, seed: 32 }
]
const [btc, eth] = specs.map(s => s.symbol) as [string, string]
const seededFrom = Date.now() - 6 * HOUR
const seededTo = Date.now() - 5_000
const tag = Date.now().toString(16)

/** Articles inside the seeded hours: their 30 min windows closed, the last one's 2 h window still open. */
const articles = [
  {
    id: `d0${tag}`.padEnd(32, 'a'),
    at: seededTo - 3 * HOUR + 17_000,
    coins: ['BTC'],
    title: `Bitcoin miners sell reserves (${quote})`
  },
  {
    id: `d1${tag}`.padEnd(32, 'b'),
    at: seededTo - 2 * HOUR + 5_000,
    coins: ['BTC'],
    title: `Bitcoin rallies on ETF inflows (${quote})`
  },
  {
    id: `d2${tag}`.padEnd(32, 'c'),
    at: seededTo - 90 * MINUTE,
    coins: ['BTC', 'ETH'],
    title: `Crypto market slides after exchange hack (${quote})`
  },
  {
    id: `d3${tag}`.padEnd(32, 'd'),
    at: seededTo - 40 * MINUTE + 42_000,
    coins: ['BTC'],
    title: `Bitcoin holds steady ahead of the Fed (${quote})`
  },
  {
    id: `d4${tag}`.padEnd(32, 'e'),
    at: seededTo - 60 * MINUTE,
    coins: ['DOGE'],
    title: `Dogecoin fans vote on a mascot (${quote})`
  }
]

let stack: Stack
let browser: Browser

before(async () => {
  stack = await startStack()
  await seedMarkets(stack.pipeline, specs, { fromMs: seededFrom, toMs: seededTo, tag: quote })
  await stack.pipeline.articles(
    articles.map(a => ({
      id: a.id,
      title: a.title,
      source: a.coins.includes('ETH') ? 'decrypt' : 'coindesk',
      publishedAt: new Date(a.at).toISOString(),
      coins: a.coins.map(code => ({ code, mentions: 2, inTitle: true }))
    }))
  )
  // Four BTC moves and one ETH move (the article about both coins counts in each); none for DOGE.
  // (The market seed publishes articles of its own: count only these.)
  await stack.pipeline.stored(
    `select count(*)::int as n from article_impact
      where horizon = '30m' and final and article_id in (${articles.map(a => `'${a.id}'`).join(', ')})`,
    5
  )
  browser = await openBrowser()
})

after(async () => {
  await browser?.close()
  await stack?.stop()
})

const candleCache = new Map<string, ApiCandle[]>()
/** Every 1m candle of a symbol the API serves, oldest first. */
async function apiCandles(symbol: string): Promise<ApiCandle[]> {
  const cached = candleCache.get(symbol)
  if (cached !== undefined) return cached
  const { body } = await getJson<{ candles: ApiCandle[] }>(
    stack.api.url,
    `/api/candles?symbol=${encodeURIComponent(symbol)}&interval=1m&from=${new Date(seededFrom - HOUR).toISOString()}&limit=1000`
  )
  candleCache.set(symbol, body.candles)
  return body.candles
}

/** The definition, on the API's candles: close before the publication minute, close before its end. */
async function recomputedReturn(symbol: string, publishedAt: string, minutes: number): Promise<string> {
  const recomputed = returnOnCandles(await apiCandles(symbol), publishedAt, minutes)
  assert.ok(recomputed !== undefined, `candles around ${publishedAt}`)
  return recomputed
}

/** "+0.42 %" as the page writes a return: two decimals, a real minus sign, a thin space. */
const shownPercent = (ret: string): string => {
  const value = Number(ret) * 100
  return `${value > 0 ? '+' : value < 0 ? '\u2212' : ''}${Math.abs(value).toFixed(2)}\u2009%`
}

async function open(hash: string): Promise<Page> {
  const page = await browser.page()
  await page.goto(`${stack.api.url}/${hash}`)
  return page
}

interface Row {
  articleId: string
  symbol: string
  publishedAt: string
  ret: string
  final: boolean
  returnText: string
  abnormalText: string
  points: number
}

async function rows(page: Page): Promise<Row[]> {
  const locator = page.locator('[data-testid="movers-rows"] tr.move')
  const out: Row[] = []
  for (const row of await locator.all()) {
    const path = row.locator('.move-path canvas')
    await path.and(page.locator('[data-points]')).waitFor()
    out.push({
      articleId: (await row.getAttribute('data-article-id')) ?? '',
      symbol: (await row.getAttribute('data-symbol')) ?? '',
      publishedAt: (await row.getAttribute('data-published-at')) ?? '',
      ret: (await row.getAttribute('data-return')) ?? '',
      final: (await row.getAttribute('data-final')) === 'true',
      returnText: (await row.locator('.move-return').textContent()) ?? '',
      abnormalText: (await row.locator('.move-abnormal').textContent()) ?? '',
      points: Number(await path.getAttribute('data-points'))
    })
  }
  return out
}

const sigma = (text: string): number => Number(text.replace('\u2212', '-').replace(/[^\d.-]/g, ''))

test('Market movers ranks the moves after the news by |abnormal|, each return equal to a recomputation from /api/candles, with its price path and the source table', async () => {
  const page = await open('#/movers?horizon=30m')
  await page.locator('[data-testid="movers-rows"][data-horizon="30m"] tr.move').nth(4).waitFor()
  const all = await rows(page)
  const sizes = all.map(r => Math.abs(sigma(r.abnormalText)))
  assert.deepEqual(
    sizes,
    [...sizes].sort((a, b) => b - a),
    `largest |abnormal| first: ${sizes.join(', ')}`
  )
  // The market seed publishes news of its own: these are the moves after this file's articles.
  const ours = new Set(articles.map(a => a.id))
  const shown = all.filter(r => ours.has(r.articleId))
  assert.equal(shown.length, 5, 'four BTC moves, one ETH move, none for the coin without a market')
  assert.deepEqual(
    shown.map(r => `${r.articleId} ${r.symbol}`).sort(),
    [
      ...articles.filter(a => a.coins.includes('BTC')).map(a => `${a.id} ${btc}`),
      ...articles.filter(a => a.coins.includes('ETH')).map(a => `${a.id} ${eth}`)
    ].sort()
  )
  const candlesOf = new Map<string, ApiCandle[]>()
  for (const row of shown) {
    const expected = await recomputedReturn(row.symbol, row.publishedAt, 30)
    assert.equal(row.ret, expected, `${row.symbol} after ${row.publishedAt}: return at 30m`)
    assert.equal(row.returnText, shownPercent(expected))
    assert.ok(row.final, 'the 30 min windows have closed')
    const candles = candlesOf.get(row.symbol) ?? (await apiCandles(row.symbol))
    candlesOf.set(row.symbol, candles)
    const published = Date.parse(row.publishedAt)
    const inPath = candles.filter(
      c => Date.parse(c.bucket) >= published - 30 * MINUTE && Date.parse(c.bucket) < published + 120 * MINUTE
    )
    assert.equal(row.points, inPath.length, 'the path draws every 1m close from 30 min before to 2 h after')
  }
  const { body } = await getJson<{ sources: { source: string; articles: number }[] }>(
    stack.api.url,
    '/api/impact/sources?horizon=30m'
  )
  const sourceRows = page.locator('[data-testid="impact-sources"] tr[data-source]')
  assert.deepEqual(
    await sourceRows.evaluateAll(trs =>
      trs.map(tr => [tr.getAttribute('data-source'), tr.children[1]?.textContent])
    ),
    body.sources.map(s => [s.source, String(s.articles)])
  )
  await screenshot(page, 'market-movers')

  // Filtered like the news: one symbol, and the horizon whose window is still open for the last article.
  await page.getByLabel('Symbol').selectOption(eth)
  await page.locator(`[data-testid="movers-rows"] tr.move[data-symbol="${eth}"]`).first().waitFor()
  await page.waitForFunction(
    `[...document.querySelectorAll('[data-testid="movers-rows"] tr.move')].every(tr => tr.getAttribute('data-symbol') === ${JSON.stringify(eth)})`
  )
  assert.equal(
    await page
      .locator(
        `[data-testid="movers-rows"] tr.move[data-article-id="${(articles[2] as (typeof articles)[number]).id}"]`
      )
      .count(),
    1
  )
  await page.getByLabel('Symbol').selectOption('')
  await page.getByLabel('Horizon').selectOption('2h')
  const last = articles[3] as (typeof articles)[number]
  const open2h = page.locator(
    `[data-testid="movers-rows"][data-horizon="2h"] tr.move[data-article-id="${last.id}"]`
  )
  await open2h.waitFor()
  assert.equal(await open2h.getAttribute('data-final'), 'false', 'a 2 h window still open is provisional')
  assert.match((await open2h.getAttribute('class')) ?? '', /provisional/)
})

interface AnsweredImpact {
  symbol: string
  returns: Record<string, string | null>
  abnormal: Record<string, string | null>
  final: Record<string, boolean>
}

/** "+2.4 σ" as the page writes an abnormal move: one decimal, a real minus sign, a thin space. */
const shownSigma = (abnormal: string): string => {
  const value = Number(abnormal)
  return `${value > 0 ? '+' : value < 0 ? '\u2212' : ''}${Math.abs(value).toFixed(1)}\u2009σ`
}

test('the News view shows the move after each article per symbol at 30 min, as /api/articles answers it and equal to a recomputation from /api/candles', async () => {
  const { body } = await getJson<{ articles: { id: string; impact: AnsweredImpact[] }[] }>(
    stack.api.url,
    `/api/articles?q=${quote}&limit=50`
  )
  const page = await open(`#/news?q=${quote}`)
  for (const article of articles) {
    const answer = body.articles.find(a => a.id === article.id)
    assert.ok(answer !== undefined, `${article.title} in the API's answer`)
    const row = page.locator(`.article-list .article[data-id="${article.id}"]`)
    await row.waitFor()
    const shown: Record<'symbol' | 'ret' | 'abnormal' | 'final' | 'text' | 'fontStyle', string | null>[] = []
    for (const move of await row.getByTestId('article-impact').all()) {
      const symbol = await move.getAttribute('data-symbol')
      const selector = `.article-list .article[data-id="${article.id}"] [data-symbol="${symbol}"]`
      shown.push({
        symbol,
        ret: await move.getAttribute('data-return'),
        abnormal: await move.getAttribute('data-abnormal'),
        final: await move.getAttribute('data-final'),
        text: await move.textContent(),
        fontStyle: String(
          await page.evaluate(
            `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).fontStyle`
          )
        )
      })
    }
    // Every symbol of the article's coins with a known move (the stack tracks BTC/USD too, without
    // candles at these times: its move is unknown and left out), the seeded markets among them.
    const known = answer.impact.filter(i => (i.returns['30m'] ?? null) !== null).map(i => i.symbol)
    assert.deepEqual(
      shown.map(m => m.symbol),
      known.sort(),
      `${article.title}: one move per known symbol`
    )
    assert.deepEqual(
      known.filter(symbol => symbol === btc || symbol === eth),
      [...(article.coins.includes('BTC') ? [btc] : []), ...(article.coins.includes('ETH') ? [eth] : [])],
      `${article.title}: the seeded markets of its coins (none for a coin without a market)`
    )
    for (const move of shown) {
      const answered: AnsweredImpact | undefined = answer.impact.find(i => i.symbol === move.symbol)
      assert.ok(answered !== undefined, `${move.symbol} in the API's impact of ${article.title}`)
      const ret: string | null = answered.returns['30m'] ?? null
      const abnormal: string | null = answered.abnormal['30m'] ?? null
      assert.ok(ret !== null && abnormal !== null, 'a 30 min move with enough history before it')
      assert.equal(move.ret, ret)
      assert.equal(move.abnormal, abnormal)
      assert.equal(ret, await recomputedReturn(move.symbol ?? '', new Date(article.at).toISOString(), 30))
      assert.equal(move.text, `${move.symbol} 30m ${shownPercent(ret)} ${shownSigma(abnormal)}`)
      assert.equal(move.final, String(answered.final['30m']))
      assert.equal(move.fontStyle, answered.final['30m'] === true ? 'normal' : 'italic')
    }
  }
  await screenshot(page, 'news-impact')
})

test("the chart's news card shows the move after the article, as recomputed from /api/candles", async () => {
  const article = articles[3] as (typeof articles)[number]
  const page = await open(`#/symbol/${encodeURIComponent(btc)}?interval=1m`)
  const host = page.getByTestId('price-chart')
  await page.locator(`.symbol-side .article[data-id="${article.id}"]`).waitFor()
  const box = await host.boundingBox()
  assert.ok(box !== null)
  const card = page.getByRole('tooltip')
  const y = box.y + box.height * 0.45
  let x = box.x + box.width - 70
  while (
    x > box.x &&
    !((await card.isVisible()) && ((await card.textContent()) ?? '').includes(article.title))
  )
    await page.mouse.move((x -= 1), y)
  assert.ok(x > box.x, 'hovering some bar shows the article')
  const line = card.locator(`[data-testid="news-card-impact"][data-symbol="${btc}"]`)
  const publishedAt = new Date(article.at).toISOString()
  for (const [horizon, minutes] of [
    ['5m', 5],
    ['30m', 30]
  ] as const) {
    const move = line.locator(`[data-horizon="${horizon}"]`)
    const expected = await recomputedReturn(btc, publishedAt, minutes)
    assert.equal(await move.getAttribute('data-return'), expected, `${horizon} after the article`)
    assert.equal(await move.textContent(), `${horizon} ${shownPercent(expected)}`)
  }
  await screenshot(page, 'chart-news-card-impact')
})

test('an article arriving while the chart is open gets its move on the news card from the live impact channel', async () => {
  const page = await open(`#/symbol/${encodeURIComponent(btc)}?interval=1m`)
  const host = page.getByTestId('price-chart')
  const settled = articles[3] as (typeof articles)[number]
  await page.locator(`.symbol-side .article[data-id="${settled.id}"]`).waitFor()
  const late = {
    id: `d5${tag}`.padEnd(32, 'f'),
    at: seededTo - 12 * MINUTE + 9_000,
    title: `Bitcoin options expiry looms (${quote})`
  }
  const publishedAt = new Date(late.at).toISOString()
  await stack.pipeline.articles([
    {
      id: late.id,
      title: late.title,
      source: 'coindesk',
      publishedAt,
      coins: [{ code: 'BTC', mentions: 1, inTitle: true }]
    }
  ])
  // On the chart from the live articles channel (no impact in it), then measured by the analytics job.
  await page.locator(`.symbol-side .article[data-id="${late.id}"]`).waitFor()
  await stack.pipeline.stored(
    `select count(*)::int as n from article_impact where article_id = '${late.id}'`,
    4
  )
  const box = await host.boundingBox()
  assert.ok(box !== null)
  const card = page.getByRole('tooltip')
  const y = box.y + box.height * 0.45
  let x = box.x + box.width - 70
  while (x > box.x && !((await card.isVisible()) && ((await card.textContent()) ?? '').includes(late.title)))
    await page.mouse.move((x -= 1), y)
  assert.ok(x > box.x, 'hovering some bar shows the new article')
  const expected = await recomputedReturn(btc, publishedAt, 5)
  // The card is drawn when the pointer moves over a bar: move within the bar until it shows the move.
  const move = card.locator(`[data-testid="news-card-impact"][data-symbol="${btc}"] [data-horizon="5m"]`)
  const shown = await waitFor('the move on the card', async () => {
    await page.mouse.move(x, y + 1)
    await page.mouse.move(x, y)
    return (await move.count()) > 0 && (await move.getAttribute('data-return'))
  })
  assert.equal(shown, expected)
})

test('an article arriving while the News view is open gets its 30 min move per symbol from the live impact channel', async () => {
  const page = await open(`#/news?q=${quote}`)
  const first = articles[0] as (typeof articles)[number]
  await page.locator(`.article-list .article[data-id="${first.id}"]`).waitFor()
  const live = {
    id: `d6${tag}`.padEnd(32, '0'),
    at: seededTo - 45 * MINUTE + 21_000,
    title: `Ether and Bitcoin funding rates flip (${quote})`
  }
  const publishedAt = new Date(live.at).toISOString()
  await stack.pipeline.articles([
    {
      id: live.id,
      title: live.title,
      source: 'decrypt',
      publishedAt,
      coins: [
        { code: 'BTC', mentions: 2, inTitle: true },
        { code: 'ETH', mentions: 1, inTitle: true }
      ]
    }
  ])
  // Listed from the live articles channel (which carries no move), then measured by the analytics
  // job, whose moves reach the open page on the impact channel: no reload in between.
  const row = page.locator(`.article-list .article[data-id="${live.id}"]`)
  await row.waitFor()
  for (const symbol of [btc, eth]) {
    const move = row.locator(`[data-testid="article-impact"][data-symbol="${symbol}"]`)
    await move.waitFor()
    assert.equal(
      await move.getAttribute('data-return'),
      await recomputedReturn(symbol, publishedAt, 30),
      `${symbol} 30 min after the live article`
    )
  }
})

test('looking at a past moment, the News and Market movers views show only the moves known by then', async () => {
  const recent = articles[3] as (typeof articles)[number]
  const older = articles[1] as (typeof articles)[number]
  // Twenty minutes after the recent article: its 30 min window is still open, the older one's closed.
  const moment = recent.at + 20 * MINUTE
  const iso = (ms: number): string => new Date(ms).toISOString()
  const range = `from=${iso(seededFrom)}&to=${iso(seededTo)}&at=${iso(moment)}`
  const news = await open(`#/news?q=${quote}&${range}`)
  await news.locator('.time-bar[data-mode="history"]').waitFor()
  const olderMove = news.locator(
    `.article-list .article[data-id="${older.id}"] [data-testid="article-impact"][data-symbol="${btc}"]`
  )
  await olderMove.waitFor()
  assert.equal(
    await olderMove.getAttribute('data-return'),
    await recomputedReturn(btc, new Date(older.at).toISOString(), 30),
    'a move whose window had closed is shown'
  )
  const recentRow = news.locator(`.article-list .article[data-id="${recent.id}"]`)
  await recentRow.waitFor()
  assert.equal(
    await recentRow.getByTestId('article-impact').count(),
    0,
    'no 30 min move yet for an article 20 minutes old at that moment'
  )
  await news.close()

  const movers = await open(`#/movers?horizon=30m&${range}`)
  const listed = movers.locator('[data-testid="movers-rows"] tr.move')
  await listed.first().waitFor()
  const ids = await listed.evaluateAll(rows => rows.map(row => row.getAttribute('data-article-id')))
  assert.ok(ids.includes(older.id), 'the older move is ranked')
  assert.ok(!ids.includes(recent.id), 'the move not known yet is not ranked')
  await movers.close()
})
