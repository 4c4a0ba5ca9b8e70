/**
 * The MACD and pressure panes under the price chart hold the bars the chart's library holds (its
 * window, src/web/chart/chart-window.ts: the newest 2,000 until the user pans back), not every
 * candle the page loaded, in a real browser over the real pipeline: 40 hours of one-minute candles.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { WINDOW_BARS } from '../../src/web/chart/chart-window.ts'
import { type MarketSpec, seedMarkets } from '../helpers/market-seed.ts'
import { type Browser, type Stack, openBrowser, startStack } from '../helpers/web.ts'

const HOUR = 3_600_000
const quote = `W${Math.random().toString(36).slice(2, 4).toUpperCase().replace(/\d/g, 'Q')}`
const spec: MarketSpec = {
  symbol: `BTC/${quote}`,
  price: 91_250,
  decimals: 1,
  volatility: 0.0012,
  tradesPerMinute: 3,
  seed: 21
}

let stack: Stack
let browser: Browser

before(async () => {
  // A page of up to 5,000 candles (the default is 1,000), so one load holds more than the window.
  stack = await startStack({ apiEnv: { API_PAGE_SIZE_MAX: '5000' } })
  await seedMarkets(stack.pipeline, [spec], {
    fromMs: Date.now() - 40 * HOUR,
    toMs: Date.now() - 5_000,
    tag: quote
  })
  browser = await openBrowser()
})

after(async () => {
  await browser?.close()
  await stack?.stop()
})

interface Held {
  /** Candles the page loaded (the model). */
  loaded: number
  /** Bars the price chart's library holds (its window). */
  held: number
  macd: number
  pressure: number
}

const held = async (page: Page): Promise<Held> =>
  (await page.evaluate(`(() => {
    const bars = id => Number(document.querySelector('[data-testid="' + id + '"]')?.dataset.bars ?? 0)
    const chart = document.querySelector('[data-testid="price-chart"]')
    return {
      loaded: bars('price-chart'),
      held: Number(chart?.dataset.held ?? 0),
      macd: bars('macd-chart'),
      pressure: bars('pressure-chart')
    }
  })()`)) as Held

/** Until both panes were given what the chart holds (they are set when its window is). */
async function panesFollow(page: Page): Promise<Held> {
  await page.waitForFunction(`(() => {
    const bars = id => document.querySelector('[data-testid="' + id + '"]')?.dataset.bars
    const chart = document.querySelector('[data-testid="price-chart"]')
    return chart?.dataset.held !== undefined && Number(chart.dataset.held) > 0 &&
      bars('macd-chart') === chart.dataset.held && bars('pressure-chart') === chart.dataset.held
  })()`)
  return held(page)
}

test("with more candles loaded than the chart's window, the MACD and pressure panes hold the window, and grow with it when the user pans back", async () => {
  const page = await browser.page()
  await page.goto(`${stack.api.url}/#/symbol/${encodeURIComponent(spec.symbol)}?interval=1m&history=5000`)
  await page.waitForFunction(
    `Number(document.querySelector('[data-testid="price-chart"]')?.dataset.bars) > ${WINDOW_BARS}`
  )
  const first = await panesFollow(page)
  assert.ok(first.loaded > WINDOW_BARS, `more candles loaded (${first.loaded}) than the window`)
  assert.equal(first.held, WINDOW_BARS, 'the library holds the newest window')
  assert.deepEqual([first.macd, first.pressure], [WINDOW_BARS, WINDOW_BARS], 'each pane holds the window')

  // Zoomed out and dragged back to the window's left edge: the window grows over the loaded candles.
  const box = await page.getByTestId('price-chart').boundingBox()
  assert.ok(box !== null)
  const grown = `Number(document.querySelector('[data-testid="price-chart"]')?.dataset.held) > ${WINDOW_BARS}`
  for (let step = 0; step < 60 && !(await page.evaluate(grown)); step++) {
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4)
    await page.mouse.wheel(0, 400)
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.4)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.4, { steps: 4 })
    await page.mouse.up()
  }
  await page.waitForFunction(grown)
  const after = await panesFollow(page)
  assert.ok(after.held > WINDOW_BARS && after.held <= after.loaded, `the window grew (${after.held})`)
  assert.deepEqual([after.macd, after.pressure], [after.held, after.held], 'the panes grew with it')
  await page.close()
})
