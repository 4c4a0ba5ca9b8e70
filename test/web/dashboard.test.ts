/**
 * The dashboard in a real browser (Debian's Chromium) over the real pipeline: markets seeded through
 * Kafka → ingest/analytics → PostgreSQL, served by the API with its live WebSocket, records
 * published during the tests reaching the page. Each test leaves screenshots in
 * artifacts/screenshots/ for a person to look at.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { RedisLiveEvents } from '../../src/live-events/redis-live-events.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { Health } from '../../src/ops/health.ts'
import { startHeartbeat } from '../../src/role/heartbeat.ts'
import { getJson, testRedisUrl } from '../helpers/api.ts'
import { type MarketSpec, seedMarkets } from '../helpers/market-seed.ts'
import { type Browser, type Stack, openBrowser, screenshot, startStack } from '../helpers/web.ts'

const HOUR = 3_600_000
const quote = `U${Math.random().toString(36).slice(2, 4).toUpperCase().replace(/\d/g, 'Q')}`
const specs: MarketSpec[] = [
  { symbol: `BTC/${quote}`, price: 91_250, decimals: 1, volatility: 0.0012, tradesPerMinute: 5, seed: 1 },
  { symbol: `ETH/${quote}`, price: 3_120, decimals: 2, volatility: 0.0015, tradesPerMinute: 2, seed: 2 },
  { symbol: `SOL/${quote}`, price: 142.5, decimals: 3, volatility: 0.002, tradesPerMinute: 1.5, seed: 3 },
  { symbol: `ADA/${quote}`, price: 0.6231, decimals: 5, volatility: 0.002, tradesPerMinute: 1, seed: 4 }
]
const [btc] = specs.map(s => s.symbol) as [string]
const seededFrom = Date.now() - 6 * HOUR
const seededTo = Date.now() - 5_000

let stack: Stack
let browser: Browser
let lastPrice: Map<string, number>
let live: RedisLiveEvents
const heartbeats: { stop(): void }[] = []

before(async () => {
  stack = await startStack()
  live = new RedisLiveEvents(testRedisUrl, silentLogger(), { keyPrefix: stack.liveKeyPrefix })
  lastPrice = await seedMarkets(stack.pipeline, specs, { fromMs: seededFrom, toMs: seededTo, tag: quote })
  for (const role of ['ingest', 'analytics', 'api']) {
    const health = new Health()
    health.register('consumer', () => ({ status: 'up', detail: 'consuming' }))
    heartbeats.push(
      startHeartbeat({ role, health, live: () => live, log: silentLogger(), intervalMs: 1_000 })
    )
  }
  browser = await openBrowser()
})

after(async () => {
  for (const heartbeat of heartbeats) heartbeat.stop()
  await browser?.close()
  await live?.close()
  await stack?.stop()
})

/** An exact price as the page shows it: digits grouped by thin spaces, at least two decimals. */
function shown(price: string): string {
  const [whole = '', fraction = ''] = price.split('.')
  return `${whole.replace(/\B(?=(\d{3})+$)/g, '\u202f')}.${fraction.padEnd(2, '0')}`
}

const symbolHash = (symbol: string, query = ''): string =>
  `#/symbol/${encodeURIComponent(symbol)}${query === '' ? '' : `?${query}`}`

async function open(hash: string, options?: Parameters<Browser['page']>[0]): Promise<Page> {
  const page = await browser.page(options)
  await page.goto(`${stack.api.url}/${hash}`)
  return page
}

/** The chart's model as the page exposes it on the chart element (bars, interval, newest bar). */
async function chartState(page: Page): Promise<{ bars: number; interval: string; last: string }> {
  const host = page.getByTestId('price-chart')
  return {
    bars: Number(await host.getAttribute('data-bars')),
    interval: (await host.getAttribute('data-interval')) ?? '',
    last: (await host.getAttribute('data-last-time')) ?? ''
  }
}

test('the overview shows every market with its price, 24h change, volume and a drawn sparkline, and says it is live', async () => {
  const page = await open('#/')
  const tiles = page.locator('.tile[data-symbol]')
  await page.waitForFunction(`document.querySelectorAll('.tile[data-symbol]').length === ${specs.length}`)
  assert.deepEqual(
    (await tiles.evaluateAll(list => list.map(t => t.getAttribute('data-symbol')))).sort(),
    specs.map(s => s.symbol).sort()
  )
  const btcTile = page.locator(`.tile[data-symbol="${btc}"]`)
  assert.equal(
    await btcTile.getByTestId('tile-price').textContent(),
    shown((lastPrice.get(btc) ?? 0).toFixed(1))
  )
  assert.match((await btcTile.locator('.tile-change').textContent()) ?? '', /^[+\u2212]?\d+\.\d\d\u2009%$/)
  assert.match((await btcTile.locator('.tile-foot').textContent()) ?? '', /Vol 24h \d/)
  // The sparkline is a canvas: some of its pixels must have been painted.
  await page.waitForFunction(`(() => {
    const canvas = document.querySelector('.tile[data-symbol="${btc}"] canvas')
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true
    return false
  })()`)
  await page.waitForFunction(`document.querySelector('[data-testid="connection"]')?.dataset.state === 'live'`)
  // The latest news are listed (read after the markets: the list has a request of its own).
  await page.locator('.article-list .article').first().waitFor()
  assert.ok((await page.locator('.alert-list .alert').count()) > 0, 'the latest alerts are listed')
  await screenshot(page, 'overview-desktop-dark')
  await page.getByRole('button', { name: 'Switch light or dark theme' }).click()
  assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'light')
  await screenshot(page, 'overview-desktop-light')
  await page.close()
  const phone = await open('#/', { width: 390, height: 844, scheme: 'light' })
  await phone.waitForFunction(
    `document.querySelectorAll('.tile[data-symbol] .tile-price').length === ${specs.length}`
  )
  await screenshot(phone, 'overview-phone-light')
  await phone.close()
})

test('a trade published into Kafka during the test appears at the top of the trades tape within a few seconds', async () => {
  const page = await open(symbolHash(btc))
  await page.getByTestId('trades-tape').locator('li').first().waitFor()
  const tradeId = 9_000_001
  const price = ((lastPrice.get(btc) ?? 90_000) + 123.4).toFixed(1)
  const published = Date.now()
  await stack.pipeline.trades([
    { symbol: btc, tradeId, price, qty: '1.250000', side: 'buy', exchangeTs: new Date().toISOString() }
  ])
  const row = page.locator(`[data-trade-id="${tradeId}"]`)
  await row.waitFor({ timeout: 60_000 })
  const seconds = (Date.now() - published) / 1000
  assert.ok(seconds < 10, `shown after ${seconds} s`)
  assert.equal(
    await page.getByTestId('trades-tape').locator('li').first().getAttribute('data-trade-id'),
    String(tradeId)
  )
  assert.equal(await row.locator('.tape-price').textContent(), shown(price))
  // The analytics job folds it into the forming 1-minute candle, which the chart updates in place.
  await page.waitForFunction(
    `document.querySelector('[data-testid="price-chart"]')?.dataset.lastTime >= '${new Date(published - 60_000).toISOString().slice(0, 16)}'`,
    undefined,
    { timeout: 60_000 }
  )
  await screenshot(page, 'symbol-desktop-dark')
  await page.close()
})

test('switching the interval redraws the chart with that interval’s candles and keeps it in the address', async () => {
  const page = await open(symbolHash(btc, 'interval=1m'))
  await page.waitForFunction(
    `document.querySelector('[data-testid="price-chart"]')?.dataset.interval === '1m' && Number(document.querySelector('[data-testid="price-chart"]')?.dataset.bars) > 0`
  )
  const minute = await chartState(page)
  const stored = async (interval: string): Promise<number> =>
    (
      await getJson<{ candles: unknown[] }>(
        stack.api.url,
        `/api/candles?symbol=${encodeURIComponent(btc)}&interval=${interval}&limit=500`
      )
    ).body.candles.length
  assert.ok(minute.bars >= (await stored('1m')) - 2, `1m: ${minute.bars} bars drawn`)
  await page.getByRole('group', { name: 'Interval' }).getByRole('button', { name: '5m', exact: true }).click()
  await page.waitForFunction(
    `document.querySelector('[data-testid="price-chart"]')?.dataset.interval === '5m'`
  )
  await page.waitForFunction(
    `Number(document.querySelector('[data-testid="price-chart"]')?.dataset.bars) === ${await stored('5m')}`
  )
  const fiveMinutes = await chartState(page)
  assert.ok(
    fiveMinutes.bars < minute.bars,
    `5m has fewer bars (${fiveMinutes.bars}) than 1m (${minute.bars})`
  )
  assert.match(page.url(), /interval=5m/)
  assert.equal(
    await page.getByRole('button', { name: '5m', exact: true }).getAttribute('aria-pressed'),
    'true'
  )
  await page.close()
  const light = await open(symbolHash(btc, 'interval=15m'), { scheme: 'light' })
  await light.waitForFunction(
    `Number(document.querySelector('[data-testid="price-chart"]')?.dataset.bars) > 0`
  )
  await screenshot(light, 'symbol-desktop-light-15m')
  await light.close()
  const phone = await open(symbolHash(btc), { width: 390, height: 844 })
  await phone.waitForFunction(
    `Number(document.querySelector('[data-testid="price-chart"]')?.dataset.bars) > 0`
  )
  await screenshot(phone, 'symbol-phone-dark')
  await phone.close()
})

test('panning back to the oldest loaded candle loads older history without moving the view', async () => {
  const page = await open(symbolHash(btc, 'interval=1m&history=250'))
  await page.waitForFunction(
    `Number(document.querySelector('[data-testid="price-chart"]')?.dataset.bars) === 250`
  )
  const box = await page.getByTestId('price-chart').boundingBox()
  assert.ok(box !== null)
  // Dragging the chart to the right scrolls back in time, as in any trading view; stop as soon as
  // older candles came in, to see where the view is left.
  const loaded = `Number(document.querySelector('[data-testid="price-chart"]')?.dataset.bars) > 250`
  for (let drag = 0; drag < 8 && !(await page.evaluate(loaded)); drag++) {
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.4, { steps: 5 })
    await page.mouse.up()
    await page.waitForTimeout(150)
  }
  await page.waitForFunction(loaded)
  await page.waitForTimeout(300)
  const state = await chartState(page)
  const visibleTo = (await page.getByTestId('price-chart').getAttribute('data-visible-to')) ?? ''
  assert.ok(
    visibleTo < state.last,
    `the view stayed back in time (${visibleTo}) rather than jumping to the newest bar (${state.last})`
  )
  await page.close()
})

test('the replay slider shows the market as it was at the chosen moment, and playing moves it forward', async () => {
  const at = seededFrom + 2 * HOUR
  const range = `from=${new Date(seededFrom).toISOString()}&to=${new Date(seededTo).toISOString()}&at=${new Date(at).toISOString()}`
  const page = await open(symbolHash(btc, `interval=1m&${range}`))
  const chartBefore = (moment: number): string =>
    `(() => { const host = document.querySelector('[data-testid="price-chart"]'); return host !== null && Number(host.dataset.bars) > 0 && host.dataset.lastTime <= '${new Date(moment - 60_000).toISOString()}' && host.dataset.lastTime >= '${new Date(moment - 180_000).toISOString()}' })()`
  await page.waitForFunction(chartBefore(at))
  const newestTrade = await page.getByTestId('trades-tape').locator('time').first().getAttribute('datetime')
  assert.ok(
    newestTrade !== null && Date.parse(newestTrade) < at,
    `the tape ends before the playhead (${newestTrade})`
  )
  assert.equal(await page.locator('.time-bar').getAttribute('data-mode'), 'history')
  const later = seededFrom + 4 * HOUR
  await page.getByTestId('replay-slider').fill(String(later))
  await page.waitForFunction(chartBefore(later))
  assert.match(decodeURIComponent(page.url()), new RegExp(`at=${new Date(later).toISOString().slice(0, 16)}`))
  await screenshot(page, 'replay-desktop-dark')
  const barsPaused = (await chartState(page)).bars
  await page.getByRole('combobox', { name: 'Replay speed' }).selectOption('1000')
  await page.getByTestId('replay-play').click()
  // At 1000× a minute of history passes every 60 ms: closed candles arrive through the replay feed.
  await page.waitForFunction(
    `Number(document.querySelector('[data-testid="price-chart"]')?.dataset.bars) >= ${barsPaused + 5}`,
    undefined,
    { timeout: 60_000 }
  )
  await page.getByTestId('replay-play').click()
  await page.getByRole('button', { name: 'Live', exact: true }).click()
  await page.waitForFunction(`document.querySelector('.time-bar')?.dataset.mode === 'live'`)
  assert.doesNotMatch(page.url(), /at=/)
  await page.close()
  const phone = await open(symbolHash(btc, `interval=1m&${range}`), {
    width: 390,
    height: 844,
    scheme: 'light'
  })
  await phone.waitForFunction(chartBefore(at))
  await screenshot(phone, 'replay-phone-light')
  await phone.close()
})

test('a news article published during the test appears in the feed and gets its sentiment badge once scored', async () => {
  const page = await open('#/news')
  await page.locator('.feed-panel .article').first().waitFor()
  const id = `f${Date.now().toString(16)}`.padEnd(16, '0')
  const title = `Bitcoin rallies to a record high as inflows surge (${quote})`
  await stack.pipeline.articles([
    {
      id,
      title,
      publishedAt: new Date().toISOString(),
      summary: 'A strong gain.',
      coins: [{ code: 'BTC', mentions: 2, inTitle: true }]
    }
  ])
  const row = page.locator(`.feed-panel .article[data-id="${id}"]`)
  await row.waitFor({ timeout: 60_000 })
  assert.equal(await page.locator('.feed-panel .article').first().getAttribute('data-id'), id)
  assert.equal(await row.locator('.article-title').textContent(), title)
  await row.locator('.badge-positive').waitFor({ timeout: 60_000 })
  assert.ok(await page.getByTestId('sentiment-chart').locator('canvas').first().isVisible())
  await screenshot(page, 'news-desktop-dark')
  await page.getByRole('combobox', { name: 'Coin' }).selectOption('ETH')
  await page.waitForFunction(
    `location.hash.includes('coin=ETH') && [...document.querySelectorAll('.feed-panel .article .coin')].every(c => c.closest('.article').textContent.includes('ETH'))`
  )
  assert.match((await page.locator('.sentiment-panel .panel-title').textContent()) ?? '', /ETH/)
  await page.close()
  const phone = await open('#/news', { width: 390, height: 844, scheme: 'light' })
  await phone.locator('.feed-panel .article').first().waitFor()
  await screenshot(phone, 'news-phone-light')
  await phone.close()
})

test('an alert raised during the test shows as a notification and in the alerts view', async () => {
  const page = await open('#/')
  await page.locator('.tile[data-symbol]').first().waitFor()
  const id = `${quote}-live-${Date.now()}`
  const title = `Whale trade: 120 ${btc} bought at market`
  await stack.pipeline.alerts([
    {
      id,
      symbol: btc,
      kind: 'whale_trade',
      severity: 'critical',
      title,
      message: 'one trade worth 10.9 M',
      eventTs: new Date().toISOString()
    }
  ])
  const toast = page.locator('.toast', { hasText: title })
  await toast.waitFor({ timeout: 60_000 })
  // The pipeline's own alerts (whales, sentiment) may arrive while the page is open: ours counts,
  // theirs may too.
  const unseen = Number(await page.locator('.nav-count').textContent())
  assert.ok(unseen >= 1, `the unseen-alerts count includes ours (${unseen})`)
  await screenshot(page, 'alert-notification-desktop-dark')
  await toast.click()
  await page.waitForFunction(`location.hash.startsWith('#/alerts')`)
  // Newest event first: the analytics job's sentiment alerts are dated at their bucket's end, which
  // can be after now, so the new alert is among the first rather than necessarily the first.
  await page.locator(`.alert-list .alert[data-id="${id}"]`).waitFor()
  assert.match(
    (await page.locator(`.alert-list .alert[data-id="${id}"]`).getAttribute('class')) ?? '',
    /alert-critical/
  )
  assert.ok(await page.locator('.nav-count').isHidden(), 'visiting the alerts clears the count')
  await screenshot(page, 'alerts-desktop-dark')
  await page.close()
  const phone = await open('#/alerts', { width: 390, height: 844 })
  await phone.locator('.alert-list .alert').first().waitFor()
  await screenshot(phone, 'alerts-phone-dark')
  await phone.close()
})

test('the pipeline view shows each stage’s health from heartbeats and the Kafka lag of the consumer groups', async () => {
  const page = await open('#/pipeline', { scheme: 'light' })
  await page.waitForFunction(
    `document.querySelector('[data-stage="ingest"] .status')?.textContent === 'up' && document.querySelector('[data-stage="analytics"] .status')?.textContent === 'up'`,
    undefined,
    { timeout: 60_000 }
  )
  await page.waitForFunction(
    `document.querySelectorAll('[data-testid="kafka-lag"] .lag-group').length >= 2`,
    undefined,
    { timeout: 60_000 }
  )
  const groups = await page
    .getByTestId('kafka-lag')
    .locator('.lag-group')
    .evaluateAll(list => list.map(g => g.getAttribute('data-group') ?? ''))
  assert.ok(
    groups.some(g => g.startsWith('g-api-ingest')) && groups.some(g => g.startsWith('g-api-analytics')),
    groups.join(', ')
  )
  assert.match((await page.locator('.freshness').first().textContent()) ?? '', /Trades/i)
  await screenshot(page, 'pipeline-desktop-light')
  await page.close()
  const phone = await open('#/pipeline', { width: 390, height: 844 })
  await phone.locator('[data-stage="ingest"]').waitFor()
  await screenshot(phone, 'pipeline-phone-dark')
  await phone.close()
})
