/**
 * The dashboard when the API goes away and comes back: the browser reaches the API through a TCP
 * proxy the test cuts (every connection dropped, new ones refused, as for a dead server) and
 * restores. The page must say so, keep what it showed, and recover by itself, catching up on what
 * was stored meanwhile.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type TcpProxy, startTcpProxy } from '../helpers/tcp-proxy.ts'
import { seedMarkets } from '../helpers/market-seed.ts'
import {
  type Browser,
  type Stack,
  openBrowser,
  screenshot,
  startStack,
  waitForValue
} from '../helpers/web.ts'

const quote = `V${Math.random().toString(36).slice(2, 4).toUpperCase().replace(/\d/g, 'Z')}`
const symbol = `XRP/${quote}`
let stack: Stack
let proxy: TcpProxy
let browser: Browser

before(async () => {
  stack = await startStack()
  const now = Date.now()
  await seedMarkets(
    stack.pipeline,
    [{ symbol, price: 2.1934, decimals: 4, volatility: 0.002, tradesPerMinute: 2, seed: 7 }],
    { fromMs: now - 3_600_000, toMs: now - 5_000, tag: quote }
  )
  proxy = await startTcpProxy({ targetPort: Number(new URL(stack.api.url).port) })
  browser = await openBrowser()
})

after(async () => {
  await browser?.close()
  await proxy?.close()
  await stack?.stop()
})

const pillState = `document.querySelector('[data-testid="connection"]')?.dataset.state`

test('an API outage is shown (connection state, banner, inline retry) and the page recovers by itself: what was stored meanwhile is read back and the stream resubscribed', async () => {
  const page = await browser.page()
  await page.goto(`http://127.0.0.1:${proxy.port}/#/`)
  const price = page.locator(`.tile[data-symbol="${symbol}"]`).getByTestId('tile-price')
  await page.waitForFunction(`${pillState} === 'live'`)
  await price.waitFor()
  const before = await price.textContent()

  await proxy.cut()
  await page.waitForFunction(`['reconnecting', 'offline'].includes(${pillState})`, undefined, {
    timeout: 60_000
  })
  const banner = page.getByRole('alert').filter({ hasText: 'unreachable' })
  await banner.waitFor({ timeout: 60_000 })
  assert.equal(await price.textContent(), before, 'what was shown stays on screen')
  // A view opened during the outage says what failed and that it retries.
  await page.getByRole('navigation').getByRole('link', { name: 'News' }).click()
  const inline = page.locator('.inline-error', { hasText: "Couldn't load articles" })
  await inline.waitFor({ timeout: 60_000 })
  assert.match((await inline.textContent()) ?? '', /Retrying in \d+ s/)
  await screenshot(page, 'outage-news-desktop-dark')
  await stack.pipeline.tickers([{ symbol, last: '2.5000', exchangeTs: new Date().toISOString() }])
  await stack.pipeline.stored(
    `select count(*)::int as n from tickers where symbol = '${symbol}' and last = 2.5`,
    1
  )

  await proxy.restore()
  await page.waitForFunction(`${pillState} === 'live'`, undefined, { timeout: 60_000 })
  await banner.waitFor({ state: 'hidden', timeout: 60_000 })
  await page.locator('.feed-panel .article').first().waitFor({ timeout: 60_000 })
  assert.ok(await inline.isHidden(), 'the inline error is gone once the articles are read')
  await page.getByRole('navigation').getByRole('link', { name: 'Markets' }).click()
  await waitForValue(
    'the tile price',
    async () => (await price.textContent({ timeout: 1_000 }).catch(() => null)) ?? '',
    '2.50'
  )
  // The stream was resubscribed: a ticker stored now reaches the tile without any reload.
  await stack.pipeline.tickers([{ symbol, last: '2.7500', exchangeTs: new Date().toISOString() }])
  await waitForValue('the live tile price', async () => (await price.textContent()) ?? '', '2.75', 60_000)
  await screenshot(page, 'outage-recovered-desktop-dark')
  await page.close()
})
