/**
 * The embedded dashboard in a real browser: `all --replay` serves it and it updates live over the
 * WebSocket without a reload, marked as replayed data; and with the exchange and the feeds out of
 * reach (closed local ports: offline on any machine) the terminal says so once and the page shows
 * the banner with the way out.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { type AllProcess, startAll } from '../helpers/all-process.ts'
import { waitFor } from '../helpers/wait.ts'
import { type Browser, ensureDashboardBuilt, openBrowser, screenshot } from '../helpers/web.ts'

const home = await mkdtemp(join(tmpdir(), 'cv-embedded-web-'))
const processes: AllProcess[] = []
let browser: Browser | undefined

before(async () => {
  ensureDashboardBuilt()
  browser = await openBrowser()
})

after(async () => {
  await browser?.close()
  await Promise.all(processes.map(p => p.stop('SIGTERM')))
  await rm(home, { recursive: true, force: true })
})

function currentBrowser(): Browser {
  if (browser === undefined) throw new Error('browser not started')
  return browser
}

test('the embedded dashboard shows the replayed market and updates live without a reload', async () => {
  const app = await startAll(join(home, 'replay'), ['--replay'], { cwd: home })
  processes.push(app)
  const page = await currentBrowser().page({ scheme: 'light' })
  try {
    await page.goto(`${app.url}/#/symbol/BTC%2FUSD`)
    const tape = page.getByTestId('trades-tape')
    const firstRow = async (): Promise<string> => (await tape.locator('li').first().textContent()) ?? ''
    const seen = await waitFor('trades on the tape', async () => (await firstRow()) || undefined, 90_000, 250)
    await waitFor('a newer trade pushed live', async () => (await firstRow()) !== seen, 60_000, 250)
    const quote = page.getByTestId('quote-price')
    await waitFor('the quote', async () => (await quote.textContent()) !== '—', 60_000, 250)
    // The badge follows /api/pipeline, which the page reads every 10 s: it may show after the trades.
    await page.getByTestId('replay-badge').waitFor({ state: 'visible', timeout: 60_000 })
    assert.equal(await page.getByTestId('source-notice').isVisible(), false, 'replay is no outage')
    await screenshot(page, 'embedded-replay')
  } finally {
    await page.close()
  }
})

function closedPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolvePort(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

test('offline, the terminal says once that Kraken is unreachable and the dashboard shows the banner', async () => {
  const port = await closedPort()
  const app = await startAll(join(home, 'offline'), [], {
    cwd: home,
    env: {
      KRAKEN_WS_URL: `ws://127.0.0.1:${port}/v2`,
      KRAKEN_REST_URL: `http://127.0.0.1:${port}`,
      NEWS_FEEDS: `probe=http://127.0.0.1:${port}/rss`
    }
  })
  processes.push(app)
  const page = await currentBrowser().page({ scheme: 'light' })
  try {
    await page.goto(`${app.url}/`)
    const notice = page.getByTestId('source-notice')
    await notice.waitFor({ state: 'visible', timeout: 60_000 })
    assert.match(
      (await notice.textContent()) ?? '',
      /Kraken is unreachable \(.*ECONNREFUSED.*\).*npm start -- --replay/
    )
    assert.equal(await page.getByTestId('replay-badge').isVisible(), false)
    await screenshot(page, 'embedded-offline')
  } finally {
    await page.close()
  }
  // The terminal samples the connection once a second: let it say so, then count the retries.
  await waitFor('the terminal saying Kraken is unreachable', () =>
    app.stdout().includes('Kraken unreachable')
  )
  const logFile = join(home, 'offline', 'logs', 'crypto-viz.log')
  await waitFor(
    'a few reconnection attempts in the log file',
    async () =>
      ((await readFile(logFile, 'utf8')).match(/Kraken connection lost; reconnecting/g)?.length ?? 0) >= 3,
    60_000,
    250
  )
  // Everything the terminal was told during those attempts: the process stopped and its output read
  // to the end (a line still on its way through the pipe would otherwise go uncounted).
  await app.stop('SIGTERM')
  const stdout = app.child.stdout
  if (stdout !== null && !stdout.readableEnded) await once(stdout, 'end')
  const out = app.stdout()
  assert.equal(out.match(/Kraken unreachable/g)?.length, 1, `said once, not on every retry:\n${out}`)
  assert.match(
    out,
    /⚠ Kraken unreachable \(.*ECONNREFUSED.*\): retrying with backoff; run `npm start -- --replay`/
  )
})
