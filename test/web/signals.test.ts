/**
 * The dashboard's signals in a real browser over the real pipeline: the buy/sell pressure heat-map
 * (colours and figures equal to the API's), MACD and pressure panes on the symbol view, article
 * excerpts with a link to the source, and whale alerts in the alerts view. Screenshots go to
 * artifacts/screenshots/.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { getJson } from '../helpers/api.ts'
import { type MarketSpec, seedMarkets } from '../helpers/market-seed.ts'
import { type Browser, type Stack, openBrowser, screenshot, startStack } from '../helpers/web.ts'

const HOUR = 3_600_000
const quote = `S${Math.random().toString(36).slice(2, 4).toUpperCase().replace(/\d/g, 'Q')}`
const specs: MarketSpec[] = [
  { symbol: `BTC/${quote}`, price: 91_250, decimals: 1, volatility: 0.0012, tradesPerMinute: 4, seed: 11 },
  { symbol: `ETH/${quote}`, price: 3_120, decimals: 2, volatility: 0.0015, tradesPerMinute: 2, seed: 12 }
]
const [btc, eth] = specs.map(s => s.symbol) as [string, string]
const body =
  'Spot bitcoin funds took in a net 1.2 billion dollars last week, a fifth week of inflows. ' +
  'Analysts said steady demand absorbed the coins long-term holders sold since the summer. '

let stack: Stack
let browser: Browser

before(async () => {
  stack = await startStack()
  await seedMarkets(stack.pipeline, specs, {
    fromMs: Date.now() - 4 * HOUR,
    toMs: Date.now() - 5_000,
    tag: quote
  })
  await stack.pipeline.articles([
    {
      id: `${quote.toLowerCase()}0000000000000000f`.replace(/[^a-f0-9]/g, 'e').slice(0, 32),
      source: 'newsexample',
      url: 'https://news.example/markets/bitcoin-etf-inflows',
      title: 'Bitcoin ETFs log a fifth week of inflows',
      summary: 'Spot funds keep buying.',
      content: body.repeat(4),
      extraction: { status: 'extracted' },
      publishedAt: new Date(Date.now() - 60_000).toISOString(),
      coins: [{ code: 'BTC', mentions: 3, inTitle: true }]
    }
  ])
  browser = await openBrowser()
})

after(async () => {
  await browser?.close()
  await stack?.stop()
})

async function open(hash: string): Promise<Page> {
  const page = await browser.page()
  await page.goto(`${stack.api.url}/${hash}`)
  return page
}

/** Whether a canvas inside `selector` has painted pixels. */
const painted = (selector: string): string => `(() => {
  for (const canvas of document.querySelectorAll('${selector} canvas')) {
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? []
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true
  }
  return false
})()`

test('the pressure heat-map shows every symbol by time, each cell coloured and labelled with the API’s imbalance', async () => {
  const page = await open('#/pressure?interval=15m')
  await page.waitForFunction(`document.querySelectorAll('.pressure-cell[data-imbalance]').length > 10`)
  const rows = await page.locator('.pressure-map tbody th a').allTextContents()
  assert.ok(rows.includes(btc) && rows.includes(eth), `rows: ${rows.join(', ')}`)
  const api = await getJson<{
    series: { symbol: string; points: { bucket: string; imbalance: string }[] }[]
  }>(stack.api.url, `/api/pressure?symbols=${btc}&interval=15m&limit=48`)
  const shown = await page
    .locator('.pressure-cell[data-imbalance]')
    .evaluateAll(cells =>
      cells.map(c => [c.getAttribute('aria-label') ?? '', c.getAttribute('data-imbalance')])
    )
  const point = api.body.series[0]?.points.at(-1)
  assert.ok(point, 'the API has pressure for the symbol')
  assert.ok(
    shown.some(([label, value]) => label.startsWith(`${btc} `) && value === point.imbalance),
    'the newest cell carries the exact imbalance the API serves'
  )
  assert.match(shown[0]?.[0] ?? '', /imbalance [+−-]?\d+ %, bought [\d.]+, sold [\d.]+/)
  assert.match((await page.locator('.pressure-legend').textContent()) ?? '', /All sells.*balanced.*all buys/)
  await screenshot(page, 'pressure-heatmap-dark')
  await page.close()
})

test('the symbol view draws MACD and pressure panes under the price chart', async () => {
  const page = await open(`#/symbol/${encodeURIComponent(btc)}?interval=1m`)
  await page.waitForFunction(
    `Number(document.querySelector('[data-testid="price-chart"]')?.dataset.bars) > 30`
  )
  await page.getByRole('button', { name: 'MACD 12/26/9' }).click()
  await page.waitForFunction(painted('[data-testid="pressure-chart"]'))
  await page.waitForFunction(painted('[data-testid="macd-chart"]'))
  const candles = await getJson<{ indicators: Record<string, unknown[]> }>(
    stack.api.url,
    `/api/candles?symbol=${encodeURIComponent(btc)}&interval=1m&indicators=macd_12_26_9,macd_signal_12_26_9,macd_hist_12_26_9`
  )
  assert.ok((candles.body.indicators.macd_12_26_9?.length ?? 0) > 0, 'MACD is stored and served')
  await screenshot(page, 'symbol-macd-pressure-dark')
  await page.close()
})

test('articles show an excerpt of their page and a link to read the rest at the source', async () => {
  const page = await open('#/news')
  const item = page.locator('.article', { hasText: 'Bitcoin ETFs log a fifth week of inflows' })
  await item.waitFor()
  assert.match((await item.locator('.article-summary').textContent()) ?? '', /^Spot bitcoin funds took in/)
  const link = item.locator('a.read-more')
  assert.equal(await link.getAttribute('href'), 'https://news.example/markets/bitcoin-etf-inflows')
  assert.equal(await link.textContent(), 'Read at newsexample ↗')
  await screenshot(page, 'news-excerpts-dark')
  await page.close()
})

test('whale trade alerts are marked as such in the alerts view', async () => {
  const page = await open('#/alerts')
  const whale = page.locator('.alert', { has: page.locator('.kind-whale') })
  await whale.first().waitFor()
  assert.match((await whale.first().textContent()) ?? '', /Whale/)
  await screenshot(page, 'alerts-whale-dark')
  await page.close()
})
