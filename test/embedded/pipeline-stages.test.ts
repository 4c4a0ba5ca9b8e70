/**
 * The pipeline view of `npm start -- --replay` in a real browser: every stage, the producers and the
 * API included, shows what it really did: a last event and a throughput, from its own heartbeats.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { type AllProcess, startAll } from '../helpers/all-process.ts'
import { waitFor } from '../helpers/wait.ts'
import { type Browser, ensureDashboardBuilt, openBrowser, screenshot } from '../helpers/web.ts'

const home = await mkdtemp(join(tmpdir(), 'cv-pipeline-stages-'))
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

interface StageCard {
  stage: string
  throughput: string
  lastEvent: string
}

const STAGES = ['produce', 'ingest', 'analytics', 'api']

test('every stage of the replayed pipeline, producers and API included, shows its last event and throughput', async () => {
  assert.ok(app !== undefined && browser !== undefined)
  const page = await browser.page({ scheme: 'light' })
  try {
    await page.goto(`${app.url}/#/pipeline`)
    const read = (): Promise<StageCard[]> =>
      page.locator('[data-stage]').evaluateAll(cards =>
        cards.map(card => {
          const values = [...card.querySelectorAll('dd')].map(dd => dd.textContent?.trim() ?? '')
          return {
            stage: card.getAttribute('data-stage') ?? '',
            throughput: values[0] ?? '',
            lastEvent: values[1] ?? ''
          }
        })
      )
    const active = (card: StageCard | undefined): boolean =>
      card !== undefined &&
      /^\d.*\/s$/.test(card.throughput) &&
      card.lastEvent !== 'never' &&
      card.lastEvent !== '—'
    let seen: StageCard[] = []
    await waitFor(
      'every stage with a throughput and a last event',
      async () => {
        seen = await read()
        return STAGES.every(stage => active(seen.find(card => card.stage === stage)))
      },
      60_000,
      250
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; the page shows ${JSON.stringify(seen)}`)
    })
    for (const stage of STAGES) {
      const card = seen.find(c => c.stage === stage)
      assert.notEqual(card?.throughput, '0/s', `${stage} is moving records: ${JSON.stringify(card)}`)
    }
    await screenshot(page, 'embedded-pipeline-stages')
  } finally {
    await page.close()
  }
})
