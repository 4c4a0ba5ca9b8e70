/**
 * History from the first second: `npm start -- --replay` on an empty folder preloads the market's
 * recent history from the fake Kraken's REST OHLC before playing live, so within 45 s of the start
 * BTC/USD has hours of one-minute and days of one-hour candles; the terminal says what it loaded and
 * the chart draws that stretch apart from the candles built from trades, with a legend line.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { type AllProcess, startAll } from '../helpers/all-process.ts'
import { getJson } from '../helpers/api.ts'
import { waitFor } from '../helpers/wait.ts'
import { type Browser, ensureDashboardBuilt, openBrowser, screenshot } from '../helpers/web.ts'

interface CandlesBody {
  candles: { bucket: string; source: 'trades' | 'exchange' }[]
}

const home = await mkdtemp(join(tmpdir(), 'cv-market-history-'))
let app: AllProcess | undefined
let startedAt = 0
let browser: Browser | undefined

before(async () => {
  ensureDashboardBuilt()
  browser = await openBrowser()
  startedAt = Date.now()
  app = await startAll(join(home, 'data'), ['--replay'], { cwd: home })
})

after(async () => {
  await browser?.close()
  await app?.stop('SIGTERM')
  await rm(home, { recursive: true, force: true })
})

async function candles(interval: string): Promise<CandlesBody['candles']> {
  assert.ok(app !== undefined)
  const { body } = await getJson<CandlesBody>(
    app.url,
    `/api/candles?symbol=BTC/USD&interval=${interval}&limit=1000`
  )
  return body.candles ?? []
}

test('45 s after npm start --replay on an empty folder, BTC/USD has at least 120 one-minute and 24 one-hour candles', async () => {
  assert.ok(app !== undefined)
  const left = 45_000 - (Date.now() - startedAt)
  assert.ok(left > 0, 'the dashboard took 45 s to come up')
  const counts = await waitFor(
    'at least 120 one-minute and 24 one-hour candles of BTC/USD',
    async () => {
      const [minutes, hours] = [await candles('1m'), await candles('1h')]
      return minutes.length >= 120 && hours.length >= 24 && { minutes, hours }
    },
    left,
    250
  )
  // History comes from the exchange's OHLC, and says so.
  assert.ok(counts.minutes.filter(c => c.source === 'exchange').length >= 120)
  assert.ok(counts.hours.filter(c => c.source === 'exchange').length >= 24)
  await waitFor('the terminal line about the history loaded', () =>
    /✓ market history from Kraken's OHLC: [\d,]+ candles \(1m 12 h · 15m 7\.5 d · 1h 30 d · 1d 2\.0 y · 5m 2\.5 d\)/.test(
      app?.stdout() ?? ''
    )
  )
  // Loaded before the live stream: the terminal told it before Kraken's connection.
  const out = await waitFor('the Kraken connection on the terminal', () =>
    app?.stdout().includes('✓ Kraken connected') ? app.stdout() : undefined
  )
  assert.ok(out.indexOf('✓ market history') < out.indexOf('✓ Kraken connected'), out)
})

test('the chart shows the exchange’s history in lighter candles, says so in its legend, and trade candles follow it', async () => {
  assert.ok(app !== undefined && browser !== undefined)
  await waitFor('candles built from the replayed trades', async () =>
    (await candles('1m')).some(c => c.source === 'trades')
  )
  const all = await candles('1m')
  const firstTrade = all.findIndex(c => c.source === 'trades')
  assert.ok(
    all.slice(0, firstTrade).every(c => c.source === 'exchange') &&
      all.slice(firstTrade).every(c => c.source === 'trades'),
    'the exchange’s stretch, then the pipeline’s own'
  )
  const page = await browser.page({ scheme: 'dark' })
  try {
    await page.goto(`${app.url}/#/symbol/BTC%2FUSD?interval=1m`)
    const note = page.getByTestId('exchange-candles-note')
    await note.waitFor({ state: 'visible' })
    assert.match((await note.textContent()) ?? '', /Lighter candles: Kraken's own OHLC/)
    const chart = page.getByTestId('price-chart')
    await waitFor(
      'hundreds of bars on the chart',
      async () => Number(await chart.getAttribute('data-bars')) >= 120
    )
    await screenshot(page, 'embedded-history-1m-dark')
  } finally {
    await page.close()
  }
})
