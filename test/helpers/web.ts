/**
 * The dashboard's test harness: the dashboard built (once, however many test files ask), the real
 * pipeline in-process (ingest and analytics over Kafka topics of their own, a fresh PostgreSQL
 * database, Redis for live events) with the API serving the build, and Debian's Chromium
 * driven by playwright-core. Screenshots go to artifacts/screenshots/ for a person to look at.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type BrowserContext, type Page, chromium } from 'playwright-core'
import { createLagReader } from '../../src/api/pipeline/consumer-lag.ts'
import { KafkaInspector } from '../../src/bus/kafka/kafka-inspector.ts'
import { RedisLiveEvents } from '../../src/live-events/redis-live-events.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { type TestApi, startTestApi, testRedisUrl } from './api.ts'
import { type TestDatabase, createTestDatabase } from './db.ts'
import { testKafka } from './kafka.ts'
import { uniqueName } from './names.ts'
import { type Pipeline, startPipeline } from './pipeline.ts'

export const repoRoot = resolve(import.meta.dirname, '../..')
export const dashboardRoot = join(repoRoot, 'src/web/dist')
export const screenshotDir = join(repoRoot, 'artifacts/screenshots')

/** Builds the dashboard when its build is missing or older than its sources. */
export function ensureDashboardBuilt(): void {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/build-web.ts'), '--if-stale'], {
    cwd: repoRoot,
    encoding: 'utf8'
  })
  if (result.status !== 0) throw new Error(`dashboard build failed:\n${result.stdout}\n${result.stderr}`)
}

export interface Stack {
  database: TestDatabase
  pipeline: Pipeline
  api: TestApi
  /** The Redis key prefix of this stack's live events (heartbeats a test adds must use it). */
  liveKeyPrefix: string
  stop(): Promise<void>
}

/** The pipeline and an API serving the dashboard, over a fresh database (`apiEnv`: the API's settings). */
export async function startStack(options: { apiEnv?: Record<string, string> } = {}): Promise<Stack> {
  ensureDashboardBuilt()
  const database = await createTestDatabase()
  // Live events of this stack only: other test files' pipelines announce articles and alerts too.
  const liveKeyPrefix = uniqueName('stack')
  const pipeline = await startPipeline({ databaseUrl: database.url, analytics: true, liveKeyPrefix })
  const live = new RedisLiveEvents(testRedisUrl, silentLogger(), { keyPrefix: liveKeyPrefix })
  const inspector = new KafkaInspector(testKafka)
  const lag = createLagReader(inspector, { topics: Object.values(pipeline.topics) })
  // The cache in this process's memory: cached answers in the shared Redis are keyed by group and
  // query only (no deployment prefix), so two test APIs over different databases would serve each
  // other's /api/symbols. Live events still go through Redis.
  const api = await startTestApi({
    db: database.db,
    cache: 'memory',
    staticRoot: dashboardRoot,
    lag,
    live,
    ...(options.apiEnv === undefined ? {} : { env: options.apiEnv })
  })
  return {
    database,
    pipeline,
    api,
    liveKeyPrefix,
    async stop() {
      await api.close()
      await live.close()
      await inspector.close()
      await pipeline.stop()
      await database.drop()
    }
  }
}

export interface Browser {
  context: BrowserContext
  /** A new tab of the given size and colour scheme, with the dashboard's stored choices cleared. */
  page(options?: { width?: number; height?: number; scheme?: 'dark' | 'light' }): Promise<Page>
  close(): Promise<void>
}

export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'crypto-viz-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ],
    viewport: { width: 1440, height: 900 }
  })
  // Waits on the page (locators, navigation) are for something to happen: generous, so that a busy
  // machine is slow rather than failing.
  context.setDefaultTimeout(60_000)
  return {
    context,
    async page(options = {}) {
      const page = await context.newPage()
      await page.setViewportSize({ width: options.width ?? 1440, height: options.height ?? 900 })
      await page.emulateMedia({ colorScheme: options.scheme ?? 'dark' })
      await page.addInitScript('try { localStorage.clear() } catch (e) {}')
      return page
    },
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

/**
 * Resolves once the finite animations running now have ended (streamed rows' highlight, prices'
 * flash; not the endless ones: skeletons, the live dot): the page is at rest.
 */
export async function animationsEnded(page: Page): Promise<void> {
  await page.evaluate(`Promise.all(
    document
      .getAnimations()
      .filter(a => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity)
      .map(a => a.finished.catch(() => undefined))
  )`)
}

/** Saves a screenshot of the whole page as artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true })
  // Streamed rows' highlight finished, so the picture shows the resting state.
  await animationsEnded(page)
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: false })
}

/** Waits until `read()` returns `expected`; on timeout the error says what it returned last. */
export async function waitForValue<T>(
  what: string,
  read: () => Promise<T>,
  expected: T,
  timeoutMs = 60_000
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  while (Date.now() < deadline) {
    last = await read()
    if (last === expected) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what} to be ${JSON.stringify(expected)}; last ${JSON.stringify(last)}`
  )
}
