/**
 * The Content-Security-Policy, enforced as the api role sends it, lets the dashboard and the API's
 * docs page do everything they do, in Chromium over the real pipeline: every view drawn with data (the chart library, its inline logo
 * style, styles set from script, the live WebSocket) and the docs page listing the operations, without
 * a single violation reported by the page or on the console. A policy that blocked any of it (a
 * missing hash, a directive too tight) shows here as a violation or as a view that never draws.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { ConsoleMessage, Page } from 'playwright-core'
import { createLagReader } from '../../src/api/pipeline/consumer-lag.ts'
import { KafkaInspector } from '../../src/bus/kafka/kafka-inspector.ts'
import { type TestApi, startTestApi } from '../helpers/api.ts'
import { testKafka } from '../helpers/kafka.ts'
import { type MarketSpec, seedMarkets } from '../helpers/market-seed.ts'
import { waitFor } from '../helpers/wait.ts'
import { type Browser, type Stack, dashboardRoot, openBrowser, startStack } from '../helpers/web.ts'

const HOUR = 3_600_000
const quote = `P${Math.random().toString(36).slice(2, 4).toUpperCase().replace(/\d/g, 'Q')}`
const specs: MarketSpec[] = [
  { symbol: `BTC/${quote}`, price: 91_250, decimals: 1, volatility: 0.0012, tradesPerMinute: 4, seed: 21 },
  { symbol: `ETH/${quote}`, price: 3_120, decimals: 2, volatility: 0.0015, tradesPerMinute: 2, seed: 22 }
]
const [btc] = specs.map(s => s.symbol) as [string]

let stack: Stack
/** An API over the stack's data that enforces the policy, as the api role does. */
let api: TestApi
let inspector: KafkaInspector | undefined
let browser: Browser

before(async () => {
  stack = await startStack()
  await seedMarkets(stack.pipeline, specs, {
    fromMs: Date.now() - 3 * HOUR,
    toMs: Date.now() - 5_000,
    tag: quote
  })
  inspector = new KafkaInspector(testKafka)
  const lag = createLagReader(inspector, { topics: Object.values(stack.pipeline.topics) })
  api = await startTestApi({
    db: stack.database.db,
    cache: 'memory',
    staticRoot: dashboardRoot,
    lag,
    contentSecurityPolicy: 'enforce'
  })
  browser = await openBrowser()
})

after(async () => {
  await browser?.close()
  await api?.close()
  await inspector?.close()
  await stack?.stop()
})

interface Watched {
  page: Page
  /** Violations the page reported (securitypolicyviolation events) and CSP errors on the console. */
  violations(): Promise<string[]>
}

/** A page that records every CSP violation from its first script on. */
async function watchedPage(): Promise<Watched> {
  const page = await browser.page()
  const logged: string[] = []
  page.on('console', (message: ConsoleMessage) => {
    if (/Content.Security.Policy/i.test(message.text())) logged.push(`console: ${message.text()}`)
  })
  await page.addInitScript(`
    window.__violations = []
    document.addEventListener('securitypolicyviolation', e => {
      window.__violations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
        ' at ' + e.sourceFile + ':' + e.lineNumber + (e.sample ? ' (' + e.sample + ')' : ''))
    })
  `)
  return {
    page,
    async violations() {
      const reported = (await page.evaluate('window.__violations')) as string[]
      return [...reported, ...logged]
    }
  }
}

/**
 * Waits until `expression` holds in the page. Not page.waitForFunction: Playwright evaluates its
 * expression with eval inside the page, which this very policy forbids; page.evaluate goes through
 * the DevTools protocol, which the policy does not govern.
 */
function until(page: Page, expression: string): Promise<unknown> {
  return waitFor(expression, async () => Boolean(await page.evaluate(expression)))
}

/** Whether a canvas inside `selector` has painted pixels. */
const painted = (selector: string): string => `(() => {
  for (const canvas of document.querySelectorAll('${selector} canvas')) {
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? []
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true
  }
  return false
})()`

const views: { name: string; hash: string; drawn: (page: Page) => Promise<unknown> }[] = [
  {
    name: 'overview',
    hash: '#/',
    drawn: async page => {
      await until(
        page,
        `document.querySelectorAll('.tile[data-symbol] .tile-price').length === ${specs.length}`
      )
      await until(page, painted(`.tile[data-symbol="${btc}"]`))
      await until(page, `document.querySelector('[data-testid="connection"]')?.dataset.state === 'live'`)
    }
  },
  {
    name: 'symbol chart',
    hash: `#/symbol/${encodeURIComponent(btc)}?interval=1m`,
    drawn: async page => {
      await until(page, `Number(document.querySelector('[data-testid="price-chart"]')?.dataset.bars) > 0`)
      await until(page, painted('[data-testid="price-chart"]'))
      // The chart library's attribution logo comes with an inline <style> the policy allows by hash.
      await page.locator('#tv-attr-logo').first().waitFor({ state: 'attached' })
      await page.locator('.legend-value').first().waitFor()
      await page.getByTestId('trades-tape').locator('li').first().waitFor()
      await until(page, `document.querySelector('[data-testid="connection"]')?.dataset.state === 'live'`)
    }
  },
  {
    name: 'pressure',
    hash: '#/pressure?interval=15m',
    drawn: async page => {
      await until(page, `document.querySelectorAll('.pressure-cell[data-imbalance]').length > 10`)
      // Legend swatches are styled from script (element.style), which the policy allows.
      await until(page, `[...document.querySelectorAll('.legend-step')].some(s => s.style.background !== '')`)
    }
  },
  {
    name: 'news',
    hash: '#/news',
    drawn: async page => {
      await page.locator('.feed-panel .article').first().waitFor()
      await until(page, painted('[data-testid="sentiment-chart"]'))
    }
  },
  {
    name: 'movers',
    hash: '#/movers',
    // The seeded articles' moves, each with its price path drawn on a canvas, and its own stylesheet.
    drawn: page => page.locator('[data-testid="movers-rows"] tr.move [data-points]').first().waitFor()
  },
  {
    name: 'alerts',
    hash: '#/alerts',
    drawn: page => page.locator('.alert-list .alert').first().waitFor()
  },
  {
    name: 'pipeline',
    hash: '#/pipeline',
    drawn: async page => {
      await page.locator('[data-stage="ingest"]').waitFor()
      await until(page, `document.querySelectorAll('[data-testid="kafka-lag"] .lag-group').length >= 1`)
    }
  }
]

for (const view of views)
  test(`the ${view.name} view draws with its data under the Content-Security-Policy, without a violation`, async () => {
    const { page, violations } = await watchedPage()
    try {
      const response = await page.goto(`${api.url}/${view.hash}`)
      assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self' 'sha256-/)
      await view.drawn(page)
      assert.deepEqual(await violations(), [])
    } finally {
      await page.close()
    }
  })

test('the API docs page lists the operations under the Content-Security-Policy, without a violation', async () => {
  const { page, violations } = await watchedPage()
  try {
    const response = await page.goto(`${api.url}/api/docs`)
    assert.match(response?.headers()['content-security-policy'] ?? '', /default-src 'self'/)
    await page.locator('.opblock-summary-path', { hasText: '/api/candles' }).first().waitFor()
    // Opening an operation renders its parameters and response schemas.
    await page.locator('.opblock-summary-path', { hasText: '/api/candles' }).first().click()
    await page.locator('.opblock-body .parameters').first().waitFor()
    assert.deepEqual(await violations(), [])
  } finally {
    await page.close()
  }
})
