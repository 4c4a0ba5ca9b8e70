/**
 * The symbol chart's overlays, RSI pane and news markers in a real browser over the real pipeline:
 * one market seeded through Kafka → ingest/analytics → PostgreSQL, and every value the legend shows
 * checked against the indicator computed here from the same seeded trades (candles, SMA, EMA,
 * Bollinger, session VWAP, Wilder's RSI: test/helpers/naive-indicators.ts, sharing no code with
 * src/jobs/analytics or src/web). News markers are found with real mouse moves; the layout is watched while trades and
 * tickers stream in. Screenshots go to artifacts/screenshots/.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'
import { getJson } from '../helpers/api.ts'
import { type MarketSpec, marketTrades, seedMarkets } from '../helpers/market-seed.ts'
import { naiveCandles } from '../helpers/naive-candles.ts'
import { bollinger, ema, rsi, sessionVwap, shownPrice as shown, sma } from '../helpers/naive-indicators.ts'
import { waitFor } from '../helpers/wait.ts'
import {
  type Browser,
  type Stack,
  animationsEnded,
  openBrowser,
  screenshot,
  startStack,
  waitForValue
} from '../helpers/web.ts'

const HOUR = 3_600_000
const MINUTE = 60_000
const quote = `O${Math.random().toString(36).slice(2, 4).toUpperCase().replace(/\d/g, 'Q')}`
const spec: MarketSpec = {
  symbol: `BTC/${quote}`,
  price: 91_250,
  decimals: 1,
  volatility: 0.0012,
  tradesPerMinute: 5,
  seed: 21
}
const symbol = spec.symbol
const seededFrom = Date.now() - 6 * HOUR
const seededTo = Date.now() - 5_000
/**
 * The analytics job's defaults (ANALYTICS_INDICATOR_WINDOW, INDICATOR_*), which the test pipeline
 * runs with: each value is a function of the 200 one-minute candles ending at its bar.
 */
const WINDOW = 200
/**
 * Two articles about the coin, 30 and 20 minutes before the newest bar: in view when the chart opens,
 * with no seeded article in their minutes. A neutral one, whose marker has a colour of its own (the
 * accent; a positive marker is the colour of rising candles), and a positive one. The neutral one is
 * only just so: one mildly positive word in a page of text scores it about +0.08, inside the
 * scorer's neutral band (|score| < 0.1).
 */
const neutral = {
  id: `c0${Date.now().toString(16)}`.padEnd(32, 'a'),
  at: seededTo - 30 * MINUTE,
  title: `Bitcoin foundation publishes minutes of its annual meeting (${quote})`,
  summary: 'The minutes list who attended.',
  content:
    'The foundation published the minutes of its annual meeting and the list of members who attended it this year interest. ' +
    Array.from({ length: 20 }, () => 'the committee met on thursday').join(' ')
}
const positive = {
  id: `c1${Date.now().toString(16)}`.padEnd(32, 'b'),
  at: seededTo - 20 * MINUTE,
  title: `Bitcoin rallies to a record high as ETF inflows surge (${quote})`
}

let stack: Stack
let browser: Browser
/** The seeded trades, as published: the reference everything below is computed from. */
const trades = marketTrades(spec, seededFrom, seededTo).trades as TradeV1[]
const candles = naiveCandles(trades)
  .filter(c => c.symbol === symbol && c.interval === '1m')
  .sort((a, b) => Date.parse(a.bucket) - Date.parse(b.bucket))

before(async () => {
  stack = await startStack()
  await seedMarkets(stack.pipeline, [spec], { fromMs: seededFrom, toMs: seededTo, tag: quote })
  await stack.pipeline.articles(
    [
      { ...neutral, extraction: { status: 'extracted' as const } },
      { ...positive, summary: 'From the test.' }
    ].map(({ at, ...article }) => ({
      ...article,
      source: 'newsexample',
      publishedAt: new Date(at).toISOString(),
      coins: [{ code: 'BTC', mentions: 2, inTitle: true }]
    }))
  )
  await stack.pipeline.stored(
    `select count(*)::int as n from article_sentiment where article_id in ('${neutral.id}', '${positive.id}')`,
    2,
    60_000
  )
  browser = await openBrowser()
})

after(async () => {
  await browser?.close()
  await stack?.stop()
})

// ---- the reference: indicators over the seeded one-minute candles ----

/** Closes of the WINDOW candles ending at the bar starting at `barMs`. */
function windowAt(barMs: number): number[] {
  const end = candles.findIndex(c => Date.parse(c.bucket) === barMs)
  assert.ok(end >= 0, `a seeded candle at ${new Date(barMs).toISOString()}`)
  return candles.slice(Math.max(0, end - WINDOW + 1), end + 1).map(c => Number(c.close))
}

type Pair = [label: string, value: string]

function expectedLegend(barMs: number): Record<'sma' | 'ema' | 'bollinger' | 'vwap' | 'rsi', Pair[]> {
  const closes = windowAt(barMs)
  const bands = bollinger(closes, 20, 2)
  return {
    sma: [
      ['SMA20', shown(sma(closes, 20))],
      ['SMA50', shown(sma(closes, 50))]
    ],
    ema: [
      ['EMA12', shown(ema(closes, 12))],
      ['EMA26', shown(ema(closes, 26))]
    ],
    bollinger: [
      ['BB↑', shown(bands.upper)],
      ['BB↓', shown(bands.lower)]
    ],
    vwap: [['VWAP', shown(sessionVwap(trades, barMs + MINUTE))]],
    rsi: [['RSI', shown(rsi(closes, 14))]]
  }
}

// ---- the page ----

/** Waits until the chart holds bars (it says how many on its element). */
async function barsDrawn(page: Page): Promise<void> {
  await page.locator('[data-testid="price-chart"][data-bars]:not([data-bars="0"])').waitFor()
}

async function open(options?: Parameters<Browser['page']>[0]): Promise<Page> {
  const page = await browser.page(options)
  await page.goto(`${stack.api.url}/#/symbol/${encodeURIComponent(symbol)}?interval=1m`)
  await barsDrawn(page)
  return page
}

/**
 * Resolves once the page has drawn two more frames, so what changed before is on screen: the chart
 * applies a change in one animation frame and the library paints it in the next.
 */
async function painted(page: Page): Promise<void> {
  await page.evaluate('new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))')
}

/** The newest bar's start (ms), as the chart reports it: what the legend shows without a pointer. */
async function newestBar(page: Page): Promise<number> {
  return Date.parse((await page.getByTestId('price-chart').getAttribute('data-last-time')) ?? '')
}

/** The legend's overlay values, as [label, value] pairs in the order shown. */
async function legend(page: Page): Promise<[string, string][]> {
  return page
    .locator('.chart-legend .legend-value')
    .evaluateAll(list =>
      list.map(v => [v.firstChild?.textContent?.trim() ?? '', v.querySelector('b')?.textContent ?? ''])
    )
}

async function waitForLegend(page: Page, expected: [string, string][]): Promise<void> {
  await waitForValue('the legend', async () => JSON.stringify(await legend(page)), JSON.stringify(expected))
}

const toggle = (page: Page, overlay: string) =>
  page.getByRole('group', { name: 'Overlays' }).locator(`[data-overlay="${overlay}"]`)

async function pressed(page: Page): Promise<Record<string, boolean>> {
  const buttons = await page
    .getByRole('group', { name: 'Overlays' })
    .locator('button')
    .evaluateAll(list => list.map(b => [b.getAttribute('data-overlay'), b.getAttribute('aria-pressed')]))
  return Object.fromEntries(buttons.map(([name, value]) => [name, value === 'true']))
}

/** The pixels of the chart below the legend (the price pane and its axis), as a PNG, once drawn. */
async function pricePane(page: Page): Promise<Buffer> {
  const box = await page.getByTestId('price-chart').boundingBox()
  assert.ok(box !== null)
  const clip = { x: box.x, y: box.y + 70, width: box.width, height: box.height * 0.6 }
  // The chart paints a change frames later (and may animate it): pictures taken frames apart until
  // two in a row are the same.
  let last: Buffer | undefined
  return waitFor(
    'the price pane to stop changing',
    async () => {
      await painted(page)
      const shot = await page.screenshot({ clip })
      const still = last?.equals(shot) === true
      last = shot
      return still ? shot : undefined
    },
    60_000,
    0
  )
}

test('each overlay toggled on shows its values in the legend, equal to SMA, EMA, Bollinger and VWAP computed from the seeded trades; toggled off it is gone; the choice is kept in storage, not the address', async () => {
  const page = await open()
  const bar = await newestBar(page)
  const want = expectedLegend(bar)
  assert.deepEqual(
    await pressed(page),
    { sma: true, ema: false, bollinger: false, vwap: true, rsi: true, macd: false, news: true },
    'a first visit shows SMA, VWAP, RSI and news'
  )
  for (const overlay of ['sma', 'vwap', 'rsi']) await toggle(page, overlay).click()
  await waitForLegend(page, [])
  const bare = await pricePane(page)
  const address = page.url()
  const on: [string, string][] = []
  for (const overlay of ['sma', 'ema', 'bollinger', 'vwap'] as const) {
    await toggle(page, overlay).click()
    assert.equal(await toggle(page, overlay).getAttribute('aria-pressed'), 'true')
    on.push(...want[overlay])
    await waitForLegend(page, on)
  }
  const drawn = await pricePane(page)
  assert.ok(!drawn.equals(bare), 'the overlay lines are drawn on the chart')
  await screenshot(page, 'chart-overlays-dark')
  // The overlays are not in the address: it stays as it was, while the choice is stored for the next
  // visit. A new tab (without the harness's storage clearing) opens with the same overlays.
  assert.equal(page.url(), address)
  const again = await browser.context.newPage()
  await again.goto(address)
  await barsDrawn(again)
  await waitForLegend(again, on)
  assert.deepEqual(await pressed(again), {
    sma: true,
    ema: true,
    bollinger: true,
    vwap: true,
    rsi: false,
    macd: false,
    news: true
  })
  await again.close()
  for (const [overlay, left] of [
    ['sma', [...want.ema, ...want.bollinger, ...want.vwap]],
    ['ema', [...want.bollinger, ...want.vwap]],
    ['bollinger', want.vwap],
    ['vwap', []]
  ] as const) {
    await toggle(page, overlay).click()
    assert.equal(await toggle(page, overlay).getAttribute('aria-pressed'), 'false')
    await waitForLegend(page, [...left])
  }
  assert.ok(
    (await pricePane(page)).equals(bare),
    'with every overlay off again, the chart is drawn as before'
  )
  await page.close()
})

test('the RSI pane shows Wilder’s RSI 14 of the seeded closes in the legend, on a fixed 0–100 scale wherever the view is', async () => {
  const page = await open()
  const host = page.getByTestId('price-chart')
  const bar = await newestBar(page)
  const want = expectedLegend(bar)
  await waitForLegend(page, [...want.sma, ...want.vwap, ...want.rsi])
  const rsiValue = Number((want.rsi[0]?.[1] ?? '').replace(/\u202f/g, ''))
  assert.ok(
    rsiValue > 5 && rsiValue < 95,
    `RSI ${rsiValue}: far enough from 0 and 100 that a scale fitted to it would show`
  )
  const panes = (): Promise<number> =>
    host.evaluate(el => el.querySelectorAll('table tr td:nth-child(2) canvas:first-child').length)
  const scale = (): Promise<{ from: number; to: number } | undefined> =>
    host.evaluate(el =>
      (el as unknown as { rsiScale(): { from: number; to: number } | undefined }).rsiScale()
    )
  const fixed = (range: { from: number; to: number } | undefined, where: string): void => {
    assert.ok(range !== undefined, `the RSI pane has a scale ${where}`)
    // 0 to 100 and the pane's margins above and below, whatever the RSI values in view.
    assert.ok(
      range.from <= 0 && range.from > -30 && range.to >= 100 && range.to < 130,
      `RSI scale ${range.from}…${range.to} ${where}`
    )
  }
  fixed(await scale(), 'at the newest bars')
  const withRsi = await panes()
  await screenshot(page, 'chart-rsi-dark')
  // Back in time: other RSI values in view, the same scale.
  const box = await host.boundingBox()
  assert.ok(box !== null)
  const visibleFrom = async (): Promise<number> =>
    Date.parse((await host.getAttribute('data-visible-from')) ?? '')
  const newestView = await visibleFrom()
  for (let drag = 0; drag < 3; drag++) {
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.3, { steps: 5 })
    await page.mouse.up()
  }
  await waitFor('the view to move back in time', async () => (await visibleFrom()) < newestView, 60_000)
  await painted(page)
  const before = await scale()
  fixed(before, 'scrolled back')
  await toggle(page, 'rsi').click()
  await waitForLegend(page, [...want.sma, ...want.vwap])
  assert.equal(await scale(), undefined, 'no RSI pane once RSI is off')
  assert.equal(await panes(), withRsi - 1, 'the RSI pane is removed')
  await toggle(page, 'rsi').click()
  await page.mouse.move(0, 0)
  await waitForValue('the number of panes', panes, withRsi)
  fixed(await scale(), 'once shown again')
  await page.close()
})

test('articles about the coin are drawn as markers at their minute, coloured as their sentiment is labelled, and hovering such a bar shows the headline and its sentiment', async () => {
  const page = await open()
  const host = page.getByTestId('price-chart')
  // The coin's news list comes from the same read as the markers: once it lists the articles, the
  // chart has them.
  await page.locator(`.symbol-side .article[data-id="${neutral.id}"]`).waitFor()
  const visibleFrom = Date.parse((await host.getAttribute('data-visible-from')) ?? '')
  assert.ok(visibleFrom < neutral.at, 'the articles’ minutes are in view')
  const sentiments = new Map(
    (
      await getJson<{ articles: { id: string; sentiment?: { label: string; score: number } | null }[] }>(
        stack.api.url,
        `/api/articles?coin=BTC&limit=200`
      )
    ).body.articles.map(a => [a.id, a.sentiment])
  )
  const barelyNeutral = sentiments.get(neutral.id)?.score ?? 0
  assert.ok(barelyNeutral > 0.05 && barelyNeutral < 0.1, `the neutral article scores ${barelyNeutral}`)
  const box = await host.boundingBox()
  assert.ok(box !== null)
  const card = page.getByRole('tooltip')
  const cardShows = async (title: string): Promise<boolean> =>
    (await card.isVisible()) && ((await card.textContent()) ?? '').includes(title)
  // Real mouse moves over the price pane, leftwards (back in time) from `x`, until the card names
  // the article; then on until it no longer does. The middle is the bar's centre.
  const y = box.y + box.height * 0.45
  const hover = async (title: string, from: number): Promise<{ left: number; centre: number }> => {
    let x = from
    while (x > box.x && !(await cardShows(title))) await page.mouse.move((x -= 1), y)
    assert.ok(x > box.x, `hovering some bar shows “${title}”`)
    const right = x
    while (await cardShows(title)) await page.mouse.move((x -= 1), y)
    return { left: x, centre: (right + x + 1) / 2 }
  }
  const sentimentShown = async (id: string, label: string): Promise<void> => {
    const stored = sentiments.get(id)
    assert.ok(stored, 'the article is scored')
    assert.equal(stored.label, label)
    const badge = card.locator('.badge').first()
    assert.equal(
      await badge.textContent(),
      `${label} ${stored.score > 0 ? '+' : ''}${stored.score.toFixed(2).replace('-', '\u2212')}`
    )
    assert.match((await badge.getAttribute('class')) ?? '', new RegExp(`badge-${label}`))
  }
  const first = await hover(positive.title, box.x + box.width - 70)
  await page.mouse.move(first.centre, y)
  assert.equal(await card.locator('.news-card-title').first().textContent(), positive.title)
  // Near the right edge too, the card sits beside the pointer, never over the bar it explains.
  const cardBox = await card.boundingBox()
  assert.ok(cardBox, 'the card is laid out')
  assert.ok(
    first.centre < cardBox.x || first.centre > cardBox.x + cardBox.width,
    `the card (${cardBox.x}–${cardBox.x + cardBox.width}) leaves the hovered bar at ${first.centre} visible`
  )
  await sentimentShown(positive.id, 'positive')
  const second = await hover(neutral.title, first.left)
  await page.mouse.move(second.centre, y)
  assert.equal(await card.locator('.news-card-title').first().textContent(), neutral.title)
  // The legend follows the pointer too: what it shows for this bar tells, later, that the pointer's
  // move over it was handled.
  await painted(page)
  const neutralBar = (await page.locator('.chart-legend .legend-ohlc').textContent()) ?? ''
  await screenshot(page, 'chart-news-card-dark')
  await sentimentShown(neutral.id, 'neutral')
  // The marker, read from the price pane's canvases: the neutral colour (the accent) in the column of
  // the neutral article's bar, and not five bars later, where there is no article.
  const markerAt = async (x: number): Promise<boolean> =>
    (await page.evaluate(`(() => {
      const probe = document.createElement('canvas').getContext('2d')
      probe.fillStyle = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()
      probe.fillRect(0, 0, 1, 1)
      const [r, g, b] = probe.getImageData(0, 0, 1, 1).data
      const pane = '[data-testid="price-chart"] table tr:first-child td:nth-child(2) canvas'
      for (const canvas of document.querySelectorAll(pane)) {
        const rect = canvas.getBoundingClientRect()
        const ratio = canvas.width / rect.width
        const left = Math.round((${x} - 3 - rect.left) * ratio)
        const data = canvas.getContext('2d').getImageData(left, 0, Math.round(6 * ratio), canvas.height).data
        for (let i = 0; i < data.length; i += 4)
          if (Math.abs(data[i] - r) < 10 && Math.abs(data[i + 1] - g) < 10 && Math.abs(data[i + 2] - b) < 10 && data[i + 3] > 200)
            return true
      }
      return false
    })()`)) === true
  // The pointer away: no card, no crosshair over the pane once the next frames are drawn.
  await page.mouse.move(0, 0)
  await card.waitFor({ state: 'hidden' })
  await painted(page)
  assert.equal(await markerAt(second.centre), true, 'a marker at the neutral article’s bar')
  assert.equal(await markerAt(second.centre + 30), false, 'no marker where there is no article')
  await toggle(page, 'news').click()
  await waitFor('the marker to go with news off', async () => !(await markerAt(second.centre)), 60_000)
  await page.mouse.move(second.centre, y)
  await waitForValue(
    'the legend to show the hovered bar (the pointer’s move was handled)',
    async () => page.locator('.chart-legend .legend-ohlc').textContent(),
    neutralBar
  )
  assert.ok(await card.isHidden(), 'with news off, hovering the bar shows no card')
  await page.close()
})

test('the quote shows the market’s last ticker when the view opens, even when the symbol list answers after the candles', async () => {
  const page = await browser.page()
  // The symbol list (which carries each market's last ticker) held back until the candles are drawn,
  // as a busy API may answer it.
  let candlesDrawn: () => void = () => undefined
  const drawn = new Promise<void>(resolve => (candlesDrawn = resolve))
  await page.route('**/api/symbols*', async route => {
    await drawn
    await route.continue()
  })
  await page.goto(`${stack.api.url}/#/symbol/${encodeURIComponent(symbol)}?interval=1m`)
  await barsDrawn(page)
  candlesDrawn()
  // No ticker is published during this test: what the quote shows comes from the directory.
  await waitForValue(
    'the quote',
    async () => page.getByTestId('quote-price').textContent(),
    shown(Number(trades.at(-1)?.price))
  )
  await page.close()
})

test('the symbol view does not shift its layout while trades and tickers stream in', async t => {
  const page = await open()
  await page.getByTestId('trades-tape').locator('li').first().waitFor()
  // Watched from a page at rest: the snapshot drawn (the tape is filled last), its fonts in, the
  // live stream open (so every trade published below reaches the page) and nothing animating.
  await page.evaluate('document.fonts.ready')
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor()
  await animationsEnded(page)
  await painted(page)
  await page.evaluate(`(() => {
    window.__shifts = []
    const name = node => node instanceof Element
      ? node.tagName.toLowerCase() +
        (node.className ? '.' + String(node.className).trim().split(/\\s+/).join('.') : '') +
        (node.dataset?.view ? '[data-view=' + node.dataset.view + ']' : '')
      : String(node?.nodeName)
    const record = entries => {
      for (const entry of entries)
        if (!entry.hadRecentInput)
          window.__shifts.push({ value: entry.value, sources: entry.sources.map(s => name(s.node)) })
    }
    const observer = new PerformanceObserver(list => record(list.getEntries()))
    observer.observe({ type: 'layout-shift' })
    // The shifts of the last frames, not yet handed to the callback.
    window.__takeShifts = () => (record(observer.takeRecords()), window.__shifts)
  })()`)
  // 25 trades and a ticker with every fourth, their event times 6 s apart from the end of the seeded
  // history (not from now, which depends on how long the tests before took): the stream spans a few
  // minutes, so new bars open (and their indicators follow) while it is watched. Each trade goes out
  // once the page shows the one before: the page takes them one by one, however fast the machine.
  const barBefore = await newestBar(page)
  let price = Number(trades.at(-1)?.price ?? spec.price)
  let tradeId = 8_000_000
  const start = seededTo + 6_000
  const streamed = 25
  for (let i = 0; i < streamed; i++) {
    price = Math.round((price + (i % 3 === 0 ? -7.3 : 5.1)) * 10) / 10
    const at = new Date(start + i * 6_000).toISOString()
    await stack.pipeline.trades([
      {
        symbol,
        tradeId: ++tradeId,
        price: price.toFixed(1),
        qty: (0.05 + (i % 7) * 0.11).toFixed(6),
        side: i % 2 === 0 ? 'buy' : 'sell',
        exchangeTs: at
      }
    ])
    if (i % 4 === 0)
      await stack.pipeline.tickers([
        {
          symbol,
          last: price.toFixed(1),
          bid: (price - 0.1).toFixed(1),
          ask: (price + 0.1).toFixed(1),
          change: (price - spec.price).toFixed(1),
          changePct: (((price - spec.price) / spec.price) * 100).toFixed(2),
          exchangeTs: at
        }
      ])
    await page.locator(`[data-trade-id="${tradeId}"]`).waitFor()
  }
  // The last trade's bar, and its indicators, drawn: the last changes the stream makes.
  const lastBar = Math.floor((start + (streamed - 1) * 6_000) / MINUTE) * MINUTE
  await waitForValue('the newest bar', () => newestBar(page), lastBar)
  await painted(page) // the legend moved on to that bar
  await waitFor('the newest bar’s indicators in the legend', async () => {
    const values = await legend(page)
    return values.length > 0 && values.every(([, value]) => value !== '—')
  })
  await painted(page)
  assert.ok((await newestBar(page)) - barBefore >= 2 * MINUTE, 'new bars opened while watched')
  const shifts = (await page.evaluate('window.__takeShifts()')) as { value: number; sources: string[] }[]
  const total = shifts.reduce((sum, s) => sum + s.value, 0)
  t.diagnostic(`layout shift ${total.toFixed(5)}: ${JSON.stringify(shifts)}`)
  // Streaming data should move nothing: prices, rows and legend numbers change in space kept for
  // them. The bound is a tenth of Web Vitals' "good" (0.1 for a whole visit) spent on 25 trades: a
  // page that shifts with every message (the tape's rows did, 0.0017 a trade) is past it by the
  // sixth, while an occasional few-pixel nudge (0.0001) stays far below.
  assert.ok(total < 0.01, `layout shift ${total.toFixed(4)}: ${JSON.stringify(shifts)}`)
  // Smaller than the bound but seen, and fixed: the tape's rows and the legend's values (which jumped
  // when a new bar showed '—' for a frame) do not move at all.
  const moved = [...new Set(shifts.flatMap(s => s.sources))]
  assert.deepEqual(
    moved.filter(source => /tape-row|legend-value/.test(source)),
    [],
    JSON.stringify(shifts)
  )
  await screenshot(page, 'chart-streaming-dark')
  await page.close()
})
