/**
 * News impact in replay: `npm start -- --replay` on an empty folder measures the recorded feeds'
 * articles on the preloaded history, and /api/impact soon returns final 5 min returns for articles
 * published more than 6 minutes before, each equal to a recomputation from /api/candles by the
 * definition (docs/impact.md). The Market movers view lists them.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { type AllProcess, startAll } from '../helpers/all-process.ts'
import { getJson } from '../helpers/api.ts'
import { candlesAround, returnOnCandles } from '../helpers/impact-from-candles.ts'
import { waitFor } from '../helpers/wait.ts'
import { type Browser, ensureDashboardBuilt, openBrowser, screenshot } from '../helpers/web.ts'

interface Move {
  articleId: string
  symbol: string
  publishedAt: string
  returns: Record<string, string | null>
  final: Record<string, boolean>
}

const home = await mkdtemp(join(tmpdir(), 'cv-replay-impact-'))
let app: AllProcess | undefined
let browser: Browser | undefined

before(async () => {
  ensureDashboardBuilt()
  browser = await openBrowser()
  app = await startAll(join(home, 'data'), ['--replay'], { cwd: home })
})

after(async () => {
  await browser?.close()
  await app?.stop('SIGTERM')
  await rm(home, { recursive: true, force: true })
})

test('in replay, /api/impact returns final 5 min returns of articles older than 6 minutes, equal to a recomputation from /api/candles, and the movers view lists them', async () => {
  assert.ok(app !== undefined && browser !== undefined)
  const url = app.url
  const finals = await waitFor(
    'final 5 min moves after the replayed articles',
    async () => {
      const { status, body } = await getJson<{ moves: Move[] }>(url, '/api/impact?limit=200')
      // 429 past the API's rate limit, 503 while the database is still opening: ask again.
      if (status !== 200) return false
      const older = body.moves.filter(m => Date.now() - Date.parse(m.publishedAt) > 6 * 60_000)
      const final = older.filter(m => m.final['5m'] && m.returns['5m'] !== null)
      return final.length >= 3 && final
    },
    120_000,
    1_000
  )
  for (const move of finals) {
    const candles = await candlesAround(url, move.symbol, move.publishedAt, 5)
    assert.equal(
      move.returns['5m'],
      returnOnCandles(candles, move.publishedAt, 5),
      `${move.symbol} after ${move.publishedAt}`
    )
  }
  const page = await browser.page()
  try {
    await page.goto(`${url}/#/movers?horizon=5m`)
    const rows = page.locator('[data-testid="movers-rows"][data-horizon="5m"] tr.move')
    await rows.first().waitFor()
    const listed = new Set(await rows.evaluateAll(trs => trs.map(tr => tr.getAttribute('data-article-id'))))
    assert.ok(
      finals.some(m => listed.has(m.articleId)),
      'the movers view lists the articles whose moves are final'
    )
    await screenshot(page, 'embedded-replay-movers')
  } finally {
    await page.close()
  }
})
